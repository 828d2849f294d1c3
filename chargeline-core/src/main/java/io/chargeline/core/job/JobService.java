package io.chargeline.core.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chargeline.core.ConflictException;
import io.chargeline.core.InvalidRequestException;
import io.chargeline.core.NotFoundException;
import io.chargeline.core.OverloadedException;
import io.chargeline.core.Page;
import io.chargeline.core.command.Command;
import io.chargeline.core.command.CommandService;
import io.chargeline.core.command.CommandStatus;
import io.chargeline.core.device.Device;
import io.chargeline.core.device.DeviceService;
import io.chargeline.core.telemetry.TelemetryRecord;
import io.chargeline.core.timing.DeadlineLoop;
import io.chargeline.core.timing.DeadlineQueue;
import io.chargeline.core.timing.SerialWorker;
import io.chargeline.core.timing.TimeOrderedIds;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Update jobs: each target charger gets an {@code update} command, released at the job's rate and batch size;
 * an execution follows its command and finishes when the charger replies with a final status or reports the
 * new version in its telemetry ({@code data.firmware} for firmware jobs, {@code data.software} for software
 * jobs). Once enough executions failed the job aborts and what has not started is cancelled.
 *
 * <p>All state changes run on one worker thread; releases are deadline-driven (no polling).
 */
public final class JobService implements AutoCloseable {
    public static final int MAX_TARGETS = 100_000;
    static final int MAX_RUNNING_JOBS = 100;
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9._+-]{1,64}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(JobService.class);

    private final JobStore store;
    private final DeviceService devices;
    private final CommandService commands;
    private final Clock clock;
    private final TimeOrderedIds ids = new TimeOrderedIds();
    private final SerialWorker worker = new SerialWorker("chargeline-jobs", 100_000);
    private final DeadlineQueue<String> releases = new DeadlineQueue<>();
    /** Jobs with work left (pending or running executions), by id. Changed on the worker thread only. */
    private final Map<String, Rollout> active = new ConcurrentHashMap<>();
    /** The executions of the jobs in {@link #active}, by status, for metrics. */
    private final Map<ExecutionStatus, AtomicInteger> live = new EnumMap<>(ExecutionStatus.class);
    /** Update command id to its job, for command changes. Read from the command writer thread. */
    private final Map<String, String> jobOfCommand = new ConcurrentHashMap<>();
    /** Chargers with a running execution: the version that would finish it. Read on the ingest path. */
    private final Map<String, Watch> watched = new ConcurrentHashMap<>();
    private final DeadlineLoop loop;

    /** The telemetry field and value that finish the update {@code commandId}. */
    private record Watch(String commandId, String field, String version) {
        static Watch of(Job job, String commandId) {
            return new Watch(commandId, job.type() == Job.Type.FIRMWARE ? "firmware" : "software", job.version());
        }
    }

    /** A job with work left, in memory. */
    private final class Rollout {
        /** Written on the worker thread; read by {@link #uses} from others. */
        volatile Job job;
        final Deque<String> pending = new ArrayDeque<>();
        final Map<String, Execution> byCharger = new HashMap<>();
        final Map<ExecutionStatus, Integer> counts = new EnumMap<>(ExecutionStatus.class);
        int running;
        long nextReleaseMillis;

        Rollout(Job job) {
            this.job = job;
        }

        void count(ExecutionStatus from, ExecutionStatus to) {
            if (from != null) {
                counts.merge(from, -1, Integer::sum);
                live.get(from).decrementAndGet();
            }
            counts.merge(to, 1, Integer::sum);
            live.get(to).incrementAndGet();
        }

        /** It leaves memory: its executions no longer count as live. False if it had left already. */
        boolean retire() {
            if (!active.remove(job.id(), this)) {
                return false;
            }
            counts.forEach((status, n) -> live.get(status).addAndGet(-n));
            return true;
        }
    }

    public JobService(JobStore store, DeviceService devices, CommandService commands, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.devices = Objects.requireNonNull(devices, "devices");
        this.commands = Objects.requireNonNull(commands, "commands");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.loop = new DeadlineLoop("chargeline-job-rollout", releases, clock, this::runDue);
        for (ExecutionStatus status : ExecutionStatus.values()) {
            live.put(status, new AtomicInteger());
        }
        commands.addListener(this::commandChanged);
        worker.call(() -> {
            Map<String, Map<String, Command>> issuedUpdates = openUpdatesByJob();
            for (Job job : store.running()) {
                pickUp(job, issuedUpdates.getOrDefault(job.id(), Map.of()));
            }
            return null;
        });
    }

    public void start() {
        loop.start();
    }

    /** Creates a job and its pending executions, and starts rolling it out. */
    public Job create(JobSpec spec) {
        validate(spec);
        List<String> targets = spec.all() ? allChargers() : named(spec.chargerIds());
        if (targets.isEmpty()) {
            throw new InvalidRequestException("the job has no target chargers");
        }
        return worker.call(() -> {
            if (active.size() >= MAX_RUNNING_JOBS) {
                throw new OverloadedException(MAX_RUNNING_JOBS + " jobs are running; wait for one to finish");
            }
            Instant now = clock.instant();
            Job job = new Job(ids.next(now), spec.type(), spec.version(), spec.url(), spec.sha256(), spec.size(), spec.all(),
                    targets.size(), spec.rollout(), spec.abort(), spec.timeout(), JobStatus.IN_PROGRESS, now, null, null,
                    null);
            List<Execution> executions = new ArrayList<>(targets.size());
            for (String chargerId : targets) {
                executions.add(Execution.pending(job.id(), chargerId));
            }
            store.create(job, executions);
            Rollout r = new Rollout(job);
            for (Execution e : executions) {
                r.byCharger.put(e.chargerId(), e);
                r.pending.addLast(e.chargerId());
                r.count(null, ExecutionStatus.PENDING);
            }
            active.put(job.id(), r);
            r.nextReleaseMillis = now.toEpochMilli();
            releases.arm(job.id(), r.nextReleaseMillis);
            LOG.info("job {}: {} {} to {} chargers at up to {}/min", job.id(), job.type(), job.version(), targets.size(),
                    job.rollout().maxPerMinute());
            return job;
        });
    }

    /** The job as stored, with live counts while it has work left. */
    public Job find(String jobId) {
        if (!TimeOrderedIds.isWellFormed(jobId)) {
            throw new NotFoundException("no job " + jobId);
        }
        return worker.call(() -> {
            Rollout r = active.get(jobId);
            if (r != null) {
                return r.job.withCounts(r.counts);
            }
            return store.find(jobId).orElseThrow(() -> new NotFoundException("no job " + jobId));
        });
    }

    public Page<Job> list(String cursor, int limit) {
        Page<Job> page = store.list(cursor, limit);
        List<Job> live = new ArrayList<>(page.items().size());
        for (Job j : page.items()) {
            live.add(j.status() == JobStatus.IN_PROGRESS || j.counts().isEmpty() ? find(j.id()) : j);
        }
        return new Page<>(live, page.nextCursor());
    }

    public Page<Execution> executions(String jobId, ExecutionStatus status, String cursor, int limit) {
        find(jobId);
        return store.executions(jobId, status, cursor, limit);
    }

    /** True while a job with work left points its chargers at {@code url}. */
    public boolean uses(String url) {
        return active.values().stream().anyMatch(r -> url.equals(r.job.url()));
    }

    /** Jobs with work left (running, or ended with executions still running). */
    public int runningJobs() {
        return active.size();
    }

    /** Executions of the jobs with work left, in {@code status}: the fleet-wide progress of running rollouts. */
    public int executions(ExecutionStatus status) {
        return live.get(status).get();
    }

    /** Cancels a running job: nothing more starts, and updates not yet delivered are cancelled. */
    public Job cancel(String jobId) {
        find(jobId);
        return worker.call(() -> {
            Rollout r = active.get(jobId);
            if (r == null || r.job.status().isFinal()) {
                Job job = r != null ? r.job : store.find(jobId).orElseThrow();
                throw new ConflictException("job " + jobId + " is already " + job.status());
            }
            end(r, JobStatus.CANCELLED, "cancelled by an operator");
            return r.job.withCounts(r.counts);
        });
    }

    /** From the ingest path, for every stored record: finishes an update when the charger reports its version. */
    public void telemetryReceived(TelemetryRecord record) {
        Watch w = watched.get(record.chargerId());
        if (w == null || record.dataJson() == null) {
            return;
        }
        try {
            JsonNode reported = JSON.readTree(record.dataJson()).get(w.field());
            if (reported != null && w.version().equals(reported.asText())) {
                watched.remove(record.chargerId(), w);
                commands.conclude(w.commandId(), CommandStatus.SUCCEEDED, JSON.createObjectNode()
                        .put("version", w.version()).put("reportedIn", "telemetry").toString());
            }
        } catch (IOException e) {
            // stored telemetry is valid JSON; nothing to do if not
        }
    }

    /** Starts what is due now. For the rollout thread and tests. */
    public void runDue() {
        for (String jobId : releases.takeDue(clock.millis())) {
            if (!worker.offer(() -> release(jobId))) {
                releases.arm(jobId, clock.millis() + 1_000);
            }
        }
    }

    /** Waits until the worker has nothing left to do. For tests. */
    public void drain() {
        worker.drain();
    }

    @Override
    public void close() {
        loop.close();
        worker.close();
    }

    // --- worker thread ---

    /** Starts executions while the rate and the batch size allow, then sets the next release. */
    private void release(String jobId) {
        Rollout r = active.get(jobId);
        if (r == null || r.job.status().isFinal()) {
            return;
        }
        long now = clock.millis();
        long interval = Math.max(1, 60_000L / r.job.rollout().maxPerMinute());
        Integer batch = r.job.rollout().batchSize();
        while (!r.pending.isEmpty() && r.nextReleaseMillis <= now && (batch == null || r.running < batch)) {
            startNext(r);
            r.nextReleaseMillis = now + interval; // one per interval, never a catch-up burst
            if (r.job.status().isFinal()) {
                return; // starting failed often enough to abort
            }
        }
        if (!r.pending.isEmpty() && (batch == null || r.running < batch)) {
            releases.arm(jobId, r.nextReleaseMillis);
        }
    }

    private void startNext(Rollout r) {
        String chargerId = r.pending.pollFirst();
        Execution e = r.byCharger.get(chargerId);
        Instant now = clock.instant();
        Command command;
        try {
            command = commands.issue(chargerId, "update", updatePayload(r.job), r.job.timeout());
        } catch (OverloadedException busy) {
            r.pending.addFirst(chargerId); // try again at the next release
            return;
        } catch (RuntimeException refused) {
            finish(r, e, e.moved(ExecutionStatus.FAILED, null, null, now, "not started: " + refused.getMessage()));
            return;
        }
        Execution started = e.started(command.id(), now);
        store.save(started);
        r.byCharger.put(chargerId, started);
        r.count(e.status(), started.status());
        r.running++;
        jobOfCommand.put(command.id(), r.job.id());
        watched.put(chargerId, Watch.of(r.job, command.id()));
    }

    /** Follows an update command: status, progress and step from its replies. */
    private void follow(String jobId, Command c) {
        Rollout r = active.get(jobId);
        Execution e = r == null ? null : r.byCharger.get(c.chargerId());
        if (e == null || !c.id().equals(e.commandId()) || e.status().isFinal()) {
            return;
        }
        ExecutionStatus next = ExecutionStatus.of(c.status());
        JsonNode result = parse(c.resultJson());
        Integer progress = result.has("progress") ? result.get("progress").asInt() : null;
        String step = result.has("step") ? result.get("step").asText() : null;
        String detail = result.has("error") ? result.get("error").asText()
                : result.has("reason") ? result.get("reason").asText() : null;
        if (next == ExecutionStatus.SUCCEEDED) {
            progress = 100;
        }
        Execution moved = e.moved(next, progress, step, c.updatedAt(), detail);
        if (next.isFinal()) {
            finish(r, e, moved);
        } else if (!moved.equals(e)) {
            store.save(moved);
            r.byCharger.put(e.chargerId(), moved);
            r.count(e.status(), moved.status());
        }
    }

    private void finish(Rollout r, Execution before, Execution after) {
        store.save(after);
        r.byCharger.put(after.chargerId(), after);
        r.count(before.status(), after.status());
        if (before.status().isRunning()) {
            r.running--;
            jobOfCommand.remove(before.commandId());
            watched.remove(after.chargerId());
        }
        if (!r.job.status().isFinal() && crossedFailureRatio(r)) {
            end(r, JobStatus.ABORTED, "failure ratio crossed: " + failures(r) + " of " + executed(r) + " failed");
        }
        if (!settle(r) && !r.job.status().isFinal()) {
            releases.arm(r.job.id(), Math.max(clock.millis(), r.nextReleaseMillis)); // a batch slot is free
        }
    }

    /**
     * Completes a job whose executions all finished, and stores the final counts of an ended job once nothing
     * runs any more. Returns true when the job left memory.
     */
    private boolean settle(Rollout r) {
        if (r.job.status() == JobStatus.IN_PROGRESS && r.pending.isEmpty() && r.running == 0) {
            r.job = r.job.finished(JobStatus.COMPLETED, clock.instant(), null);
            LOG.info("job {} completed: {}", r.job.id(), summary(r.counts));
        }
        if (r.job.status().isFinal() && r.running == 0) {
            if (r.retire()) {
                store.save(r.job.withCounts(r.counts));
            }
            return true;
        }
        return false;
    }

    /** Aborts or cancels: pending executions are cancelled; updates not yet delivered are cancelled too. */
    private void end(Rollout r, JobStatus outcome, String why) {
        Instant now = clock.instant();
        r.job = r.job.finished(outcome, now, why);
        store.save(r.job); // without counts: not settled until its running executions end
        while (!r.pending.isEmpty()) {
            Execution e = r.byCharger.get(r.pending.pollFirst());
            Execution cancelled = e.moved(ExecutionStatus.CANCELLED, null, null, now, why);
            store.save(cancelled);
            r.byCharger.put(e.chargerId(), cancelled);
            r.count(e.status(), cancelled.status());
        }
        for (Execution e : List.copyOf(r.byCharger.values())) {
            if (e.status() == ExecutionStatus.QUEUED || e.status() == ExecutionStatus.SENT) {
                Command cancelled;
                try {
                    cancelled = commands.cancel(e.chargerId(), e.commandId());
                } catch (ConflictException alreadyDelivered) {
                    continue; // it runs to its end; its outcome is still recorded
                }
                // followed now, so the job returned by cancel() already counts it; the listener's copy of this
                // change finds the execution final and does nothing
                follow(r.job.id(), cancelled);
            }
        }
        if (outcome == JobStatus.ABORTED) {
            LOG.warn("job {} aborted: {}; {}", r.job.id(), why, summary(r.counts));
        } else {
            LOG.info("job {} {}: {}; {}", r.job.id(), outcome.name().toLowerCase(java.util.Locale.ROOT), why,
                    summary(r.counts));
        }
        settle(r);
    }

    /** {@code 3 SUCCEEDED, 1 FAILED}: the statuses with executions, for the job's log lines. */
    private static String summary(Map<ExecutionStatus, Integer> counts) {
        StringBuilder out = new StringBuilder();
        counts.forEach((status, n) -> {
            if (n > 0) {
                out.append(out.length() == 0 ? "" : ", ").append(n).append(' ').append(status.name());
            }
        });
        return out.length() == 0 ? "no executions" : out.toString();
    }

    private boolean crossedFailureRatio(Rollout r) {
        Job.Abort abort = r.job.abort();
        int executed = executed(r);
        return abort != null && executed >= abort.minExecuted() && executed > 0
                && (double) failures(r) / executed > abort.failureRatio();
    }

    private static int executed(Rollout r) {
        return r.counts.getOrDefault(ExecutionStatus.SUCCEEDED, 0) + failures(r);
    }

    private static int failures(Rollout r) {
        int failed = 0;
        for (Map.Entry<ExecutionStatus, Integer> count : r.counts.entrySet()) {
            if (count.getKey().isFailure()) {
                failed += count.getValue();
            }
        }
        return failed;
    }

    /**
     * After a restart: rebuilds a running job and catches up with commands that moved meanwhile.
     *
     * <p>Starting an execution is two writes, the update command and then the execution that points to it. A
     * crash between them leaves the execution PENDING with its command already issued; {@code issuedUpdates}
     * (open update commands of this job, by charger) lets such an execution adopt its command instead of the
     * charger getting a second update.
     */
    private void pickUp(Job job, Map<String, Command> issuedUpdates) {
        Rollout r = new Rollout(job);
        List<Execution> all = new ArrayList<>();
        for (Execution stored : store.allExecutions(job.id())) {
            Execution e = adoptIssuedUpdate(job, stored, issuedUpdates.get(stored.chargerId()));
            all.add(e);
            r.byCharger.put(e.chargerId(), e);
            r.count(null, e.status());
            if (e.status() == ExecutionStatus.PENDING && !job.status().isFinal()) {
                r.pending.addLast(e.chargerId());
            } else if (e.status().isRunning()) {
                r.running++;
                jobOfCommand.put(e.commandId(), job.id());
                watched.put(e.chargerId(), Watch.of(job, e.commandId()));
            }
        }
        active.put(job.id(), r);
        for (Execution e : all) {
            if (e.status().isRunning()) {
                follow(job.id(), commands.find(e.chargerId(), e.commandId()));
            }
        }
        if (active.containsKey(job.id()) && !settle(r) && !r.job.status().isFinal()) {
            r.nextReleaseMillis = clock.millis();
            releases.arm(job.id(), r.nextReleaseMillis);
        }
        LOG.info("job {}: picked up ({} pending, {} running)", job.id(), r.pending.size(), r.running);
    }

    /** {@code e} started with {@code issued} if it is still PENDING although its update went out; else {@code e}. */
    private Execution adoptIssuedUpdate(Job job, Execution e, Command issued) {
        if (e.status() != ExecutionStatus.PENDING || issued == null) {
            return e;
        }
        LOG.warn("job {}: the update for {} was issued just before a stop (command {}); following it instead of "
                + "issuing another", job.id(), e.chargerId(), issued.id());
        Execution started = e.started(issued.id(), issued.issuedAt());
        store.save(started);
        return started;
    }

    // --- helpers ---

    /** Open update commands by the job named in their payload, then by charger. */
    private Map<String, Map<String, Command>> openUpdatesByJob() {
        Map<String, Map<String, Command>> out = new HashMap<>();
        for (Command c : commands.open()) {
            if (c.name().equals("update")) {
                JsonNode jobId = parse(c.payloadJson()).get("jobId");
                if (jobId != null && jobId.isTextual()) {
                    out.computeIfAbsent(jobId.textValue(), id -> new HashMap<>()).put(c.chargerId(), c);
                }
            }
        }
        return out;
    }

    private void commandChanged(Command c) {
        String jobId = jobOfCommand.get(c.id());
        if (jobId != null) {
            worker.offer(() -> follow(jobId, c));
        }
    }

    private static String updatePayload(Job job) {
        ObjectNode payload = JSON.createObjectNode()
                .put("jobId", job.id())
                .put("type", job.type().name().toLowerCase(java.util.Locale.ROOT))
                .put("version", job.version())
                .put("url", job.url())
                .put("sha256", job.sha256());
        if (job.size() != null) {
            payload.put("size", job.size());
        }
        return payload.toString();
    }

    private static JsonNode parse(String json) {
        if (json == null) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode node = JSON.readTree(json);
            return node != null && node.isObject() ? node : JSON.createObjectNode();
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private List<String> allChargers() {
        List<String> out = new ArrayList<>();
        String cursor = null;
        do {
            Page<Device> page = devices.list(cursor, 1000);
            for (Device d : page.items()) {
                if (!d.isRevoked()) {
                    out.add(d.chargerId());
                }
            }
            cursor = page.nextCursor();
            if (out.size() > MAX_TARGETS) {
                throw new InvalidRequestException("a job targets at most " + MAX_TARGETS + " chargers");
            }
        } while (cursor != null);
        return out;
    }

    private List<String> named(List<String> chargerIds) {
        if (chargerIds == null || chargerIds.isEmpty()) {
            throw new InvalidRequestException("targets must be {\"chargerIds\":[...]} with at least one id, or {\"all\":true}");
        }
        if (chargerIds.size() > MAX_TARGETS) {
            throw new InvalidRequestException("a job targets at most " + MAX_TARGETS + " chargers");
        }
        Set<String> unique = new LinkedHashSet<>(chargerIds);
        List<String> unknown = new ArrayList<>();
        for (String id : unique) {
            Device d = devices.find(devices.kind().requireId(id)).orElse(null);
            if (d == null || d.isRevoked()) {
                unknown.add(id);
            }
        }
        if (!unknown.isEmpty()) {
            throw new InvalidRequestException("not provisioned or revoked: "
                    + String.join(", ", unknown.subList(0, Math.min(10, unknown.size())))
                    + (unknown.size() > 10 ? " and " + (unknown.size() - 10) + " more" : ""));
        }
        return new ArrayList<>(unique);
    }

    private static void validate(JobSpec s) {
        if (s.type() == null) {
            throw new InvalidRequestException("type must be firmware or software");
        }
        if (s.version() == null || !VERSION.matcher(s.version()).matches()) {
            throw new InvalidRequestException("version must match ^[A-Za-z0-9._+-]{1,64}$");
        }
        if (s.url() == null) {
            throw new InvalidRequestException("url is required");
        }
        URI url;
        try {
            url = URI.create(s.url());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("url is not a valid URL");
        }
        if (!"https".equals(url.getScheme()) && !"http".equals(url.getScheme()) || url.getHost() == null) {
            throw new InvalidRequestException("url must be an http or https URL");
        }
        if (s.sha256() == null || !SHA256.matcher(s.sha256()).matches()) {
            throw new InvalidRequestException("sha256 must be 64 lower-case hex digits");
        }
        if (s.size() != null && s.size() <= 0) {
            throw new InvalidRequestException("size must be a positive number of bytes");
        }
        Job.Rollout rollout = s.rollout();
        if (rollout.maxPerMinute() < 1 || rollout.maxPerMinute() > 60_000) {
            throw new InvalidRequestException("rollout.maxPerMinute must be between 1 and 60000");
        }
        if (rollout.batchSize() != null && rollout.batchSize() < 1) {
            throw new InvalidRequestException("rollout.batchSize must be at least 1");
        }
        if (s.abort() != null && (s.abort().failureRatio() < 0 || s.abort().failureRatio() > 1 || s.abort().minExecuted() < 1)) {
            throw new InvalidRequestException("abort.failureRatio must be between 0 and 1 and abort.minExecuted at least 1");
        }
        if (s.timeout().compareTo(Duration.ofMinutes(1)) < 0 || s.timeout().compareTo(CommandService.MAX_TTL) > 0) {
            throw new InvalidRequestException("timeout must be between PT1M and P30D");
        }
    }
}
