package io.chargeline.tools.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;

/** A broker under test, running as its own process so its CPU and memory can be measured apart. */
public abstract class ServerProcess implements AutoCloseable {
    protected Process process;

    public abstract String name();

    public abstract int mqttPort();

    public long pid() {
        return process.pid();
    }

    /** Stops the process (SIGTERM, then SIGKILL after 60 s). */
    @Override
    public void close() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /**
     * Stops the process with SIGTERM ({@code graceful}) or SIGKILL and returns its exit status.
     *
     * @throws IllegalStateException if it has not exited within 60 s
     */
    public int stop(boolean graceful) throws InterruptedException {
        if (graceful) {
            process.destroy();
        } else {
            process.destroyForcibly();
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name() + " did not exit within 60 s");
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
