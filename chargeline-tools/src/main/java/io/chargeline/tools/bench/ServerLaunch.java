package io.chargeline.tools.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the servers under test are started.
 *
 * @param jar Chargeline's runnable jar
 * @param jvmOptions options for Chargeline's JVM
 * @param cpus CPUs both servers are pinned to ({@code taskset -c} list, e.g. {@code 1} or {@code 2-3}), or
 *     {@code null} to let them use every core; pinning Chargeline and the peer to the same CPUs, away from
 *     the load generator, keeps the generator from competing with the server it measures
 */
public record ServerLaunch(Path jar, List<String> jvmOptions, String cpus) {
    private static final Pattern CPU_LIST = Pattern.compile("[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*");
    private static final String TASKSET = "/usr/bin/taskset";

    public ServerLaunch {
        Objects.requireNonNull(jar, "jar");
        jvmOptions = List.copyOf(jvmOptions);
        if (cpus != null && !CPU_LIST.matcher(cpus).matches()) {
            throw new IllegalArgumentException("--server-cpus must be a CPU list like 1 or 0,2 or 2-3, not '" + cpus + "'");
        }
    }

    public ServerLaunch(Path jar, List<String> jvmOptions) {
        this(jar, jvmOptions, null);
    }

    /** {@code command}, run on the pinned CPUs when there are any. */
    List<String> pinned(List<String> command) {
        if (cpus == null) {
            return command;
        }
        List<String> out = new ArrayList<>(List.of(TASKSET, "-c", cpus));
        out.addAll(command);
        return out;
    }
}
