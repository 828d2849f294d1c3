package io.chargeline.store.rocksdb;

import io.chargeline.core.Page;
import io.chargeline.core.job.Execution;
import io.chargeline.core.job.ExecutionStatus;
import io.chargeline.core.job.Job;
import io.chargeline.core.job.JobStatus;
import io.chargeline.core.job.JobStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/** Jobs in {@code jobs} by id (time-ordered), executions in {@code job-executions} keyed {@code jobId/chargerId}. */
final class RocksDbJobStore implements JobStore {
    private final RocksDB db;
    private final ColumnFamilyHandle jobs;
    private final ColumnFamilyHandle executions;
    private final WriteOptions syncWrites;

    RocksDbJobStore(RocksDB db, ColumnFamilyHandle jobs, ColumnFamilyHandle executions, WriteOptions syncWrites) {
        this.db = db;
        this.jobs = jobs;
        this.executions = executions;
        this.syncWrites = syncWrites;
    }

    @Override
    public void create(Job job, List<Execution> all) {
        RocksCalls.write("job write", () -> {
            try (WriteBatch batch = new WriteBatch()) {
                batch.put(jobs, bytes(job.id()), JobCodec.encode(job));
                for (Execution e : all) {
                    batch.put(executions, key(e.jobId(), e.chargerId()), JobCodec.encode(e));
                }
                db.write(syncWrites, batch);
            }
        });
    }

    @Override
    public void save(Job job) {
        RocksCalls.write("job write", () -> db.put(jobs, syncWrites, bytes(job.id()), JobCodec.encode(job)));
    }

    @Override
    public void save(Execution e) {
        RocksCalls.write("execution write",
                () -> db.put(executions, syncWrites, key(e.jobId(), e.chargerId()), JobCodec.encode(e)));
    }

    @Override
    public Optional<Job> find(String jobId) {
        byte[] value = RocksCalls.read("job read", () -> db.get(jobs, bytes(jobId)));
        return value == null ? Optional.empty() : Optional.of(JobCodec.decodeJob(jobId, value));
    }

    @Override
    public Page<Job> list(String cursor, int limit) {
        return NewestFirst.page(db, jobs, cursor, limit, JobCodec::decodeJob, Job::id);
    }

    @Override
    public Page<Execution> executions(String jobId, ExecutionStatus status, String cursor, int limit) {
        byte[] prefix = bytes(jobId + "/");
        List<Execution> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator(executions)) {
            it.seek(cursor == null ? prefix : key(jobId, cursor));
            if (cursor != null && it.isValid() && Arrays.equals(it.key(), key(jobId, cursor))) {
                it.next();
            }
            for (; it.isValid() && startsWith(it.key(), prefix); it.next()) {
                Execution e = decode(jobId, prefix, it);
                if (status != null && e.status() != status) {
                    continue;
                }
                if (out.size() == limit) {
                    return new Page<>(out, out.get(out.size() - 1).chargerId());
                }
                out.add(e);
            }
        }
        return new Page<>(out, null);
    }

    @Override
    public List<Execution> allExecutions(String jobId) {
        byte[] prefix = bytes(jobId + "/");
        List<Execution> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator(executions)) {
            for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
                out.add(decode(jobId, prefix, it));
            }
        }
        return out;
    }

    @Override
    public List<Job> running() {
        List<Job> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator(jobs)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                Job j = JobCodec.decodeJob(new String(it.key(), StandardCharsets.US_ASCII), it.value());
                if (j.status() == JobStatus.IN_PROGRESS || j.counts().isEmpty()) {
                    out.add(j);
                }
            }
        }
        return out;
    }

    /** Each settled job goes with its executions in one synced batch (a range delete for the executions). */
    @Override
    public int deleteSettledBefore(Instant cutoff) {
        List<String> doomed = new ArrayList<>();
        try (RocksIterator it = db.newIterator(jobs)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                Job j = JobCodec.decodeJob(new String(it.key(), StandardCharsets.US_ASCII), it.value());
                if (j.status().isFinal() && !j.counts().isEmpty() && j.finishedAt().isBefore(cutoff)) {
                    doomed.add(j.id());
                }
            }
        }
        for (String jobId : doomed) {
            RocksCalls.write("job retention", () -> {
                try (WriteBatch batch = new WriteBatch()) {
                    // '0' is the byte after '/': the range covers exactly this job's executions
                    batch.deleteRange(executions, bytes(jobId + "/"), bytes(jobId + "0"));
                    batch.delete(jobs, bytes(jobId));
                    db.write(syncWrites, batch);
                }
            });
        }
        return doomed.size();
    }

    private static Execution decode(String jobId, byte[] prefix, RocksIterator it) {
        String chargerId = new String(it.key(), prefix.length, it.key().length - prefix.length, StandardCharsets.US_ASCII);
        return JobCodec.decodeExecution(jobId, chargerId, it.value());
    }

    private static byte[] key(String jobId, String chargerId) {
        return bytes(jobId + "/" + chargerId);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }
}
