package io.chargeline.app;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks, before anything starts, that the listen ports of a start are free. A taken port then ends in one line
 * naming the port and its flag, instead of a framework's stack trace after half the platform has started (and
 * must be stopped again), and before a first start writes its admin key, which it shows only once.
 */
final class FreePorts {
    private FreePorts() {}

    /** The ports of {@code config} by flag; 0 (a free port picked at start) is not checked. */
    static void require(PlatformConfig config) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("--mqtt-port", config.mqttPort());
        ports.put("--http-port", config.httpPort());
        ports.put("--device-http-port", config.deviceHttpPort());
        require(config.bindAddress(), ports);
    }

    static void require(String bindAddress, Map<String, Integer> portsByFlag) {
        InetAddress address = resolve(bindAddress);
        portsByFlag.forEach((flag, port) -> {
            if (port == 0) {
                return;
            }
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true); // as the servers do: a port in TIME_WAIT is free for them
                probe.bind(new InetSocketAddress(address, port));
            } catch (BindException e) {
                throw new IllegalStateException(inUse(e)
                        ? "port " + port + " is already in use on " + bindAddress + "; choose another with " + flag
                        : "cannot listen on " + bindAddress + ":" + port + " (" + e.getMessage()
                                + "); check --bind and " + flag);
            } catch (IOException e) {
                throw new IllegalStateException("cannot listen on " + bindAddress + ":" + port + " (" + e.getMessage()
                        + "); check --bind and " + flag, e);
            }
        });
    }

    private static boolean inUse(BindException e) {
        return e.getMessage() != null && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("in use");
    }

    private static InetAddress resolve(String bindAddress) {
        try {
            return InetAddress.getByName(bindAddress);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--bind " + bindAddress + " is not an address of this machine", e);
        }
    }
}
