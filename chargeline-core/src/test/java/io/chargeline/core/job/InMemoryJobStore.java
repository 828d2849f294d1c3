package io.chargeline.core.job;

import io.chargeline.core.Page;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** Jobs and executions in memory, for tests. */
final class InMemoryJobStore implements JobStore {
    final Map<String, Job> jobs = new ConcurrentSkipListMap<>();
    final Map<String, Execution> executions = new ConcurrentSkipListMap<>();

    @Override
    public void create(Job job, List<Execution> all) {
        save(job);
        all.forEach(this::save);
    }

    @Override
    public synchronized int deleteSettledBefore(Instant cutoff) {
        List<String> doomed = jobs.values().stream()
                .filter(j -> j.status().isFinal() && !j.counts().isEmpty() && j.finishedAt().isBefore(cutoff))
                .map(Job::id).toList();
        for (String id : doomed) {
            jobs.remove(id);
            executions.keySet().removeIf(key -> key.startsWith(id + "/"));
        }
        return doomed.size();
    }

    @Override
    public void save(Job job) {
        jobs.put(job.id(), job);
    }

    @Override
    public void save(Execution e) {
        executions.put(e.jobId() + "/" + e.chargerId(), e);
    }

    @Override
    public Optional<Job> find(String jobId) {
        return Optional.ofNullable(jobs.get(jobId));
    }

    @Override
    public Page<Job> list(String cursor, int limit) {
        List<Job> all = new ArrayList<>(jobs.values());
        java.util.Collections.reverse(all);
        return new Page<>(all.subList(0, Math.min(limit, all.size())), null);
    }

    @Override
    public Page<Execution> executions(String jobId, ExecutionStatus status, String cursor, int limit) {
        List<Execution> out = allExecutions(jobId).stream().filter(e -> status == null || e.status() == status).toList();
        return new Page<>(out.subList(0, Math.min(limit, out.size())), null);
    }

    @Override
    public List<Execution> allExecutions(String jobId) {
        return executions.values().stream().filter(e -> e.jobId().equals(jobId)).toList();
    }

    @Override
    public List<Job> running() {
        return jobs.values().stream().filter(j -> j.status() == JobStatus.IN_PROGRESS || j.counts().isEmpty()).toList();
    }
}
