package org.ncguard.guard.replay;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.ncguard.NcguardException;
import org.ncguard.avro.GuardVerdict;
import org.ncguard.avro.InferenceRequest;
import org.ncguard.guard.ClientSettings;
import org.ncguard.guard.GuardEngine;
import org.ncguard.guard.GuardMode;
import org.ncguard.guard.GuardPolicy;
import org.ncguard.guard.MalformedRequestException;
import org.ncguard.guard.ProfileBook;
import org.ncguard.guard.ProfileOrigin;
import org.ncguard.guard.RequestScorer;
import org.ncguard.guard.score.ServedModels;
import org.ncguard.guard.serde.GuardSerdes;
import org.ncguard.guard.serde.RequestReader;
import org.ncguard.profile.GuardProfile;

/**
 * Re-scores the retained requests of a time range against a profile, as the guard in flag mode would have: a plain
 * consumer with partitions assigned by hand (never the live guard's group), committed records only; a verdict marked
 * {@code replay: true} for every request scored, an alert for every one that would have been flagged, and a
 * {@link ReplaySummary}.
 *
 * <p>Progress is committed to the replay's own group ({@link ReplayConfig#groupId()}) after the outputs are flushed,
 * so a run stopped half-way resumes where it was, and a run over a range already replayed into the same output reads
 * nothing. Delivery is at least once: a crash between flush and commit re-scores those requests (verdicts are keyed by
 * request id). A record that cannot be read or scored is counted with its reason and place, and the replay goes on.
 */
public final class Replayer {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final long COMMIT_EVERY_MS = 2_000;
    private static final long PROGRESS_EVERY_MS = 1_000;
    private static final long STALL_MS = 60_000;

    private final ReplayConfig config;
    private final GuardEngine engine;
    private final GuardProfile profile;
    private final GuardSerdes serdes;
    private final PrintStream progress;
    private volatile boolean stop;
    private RequestReader reader;

    /**
     * A replay of {@code config} scoring with {@code models} against {@code profile}.
     *
     * @param progress where progress lines go (stderr), or null for none
     * @throws NcguardException when the profile fits none of the models
     */
    public Replayer(ReplayConfig config, ServedModels models, GuardProfile profile, GuardSerdes serdes,
                    PrintStream progress) throws NcguardException {
        if (config == null || models == null || profile == null || serdes == null) {
            throw new IllegalArgumentException("config, models, profile and serdes are required");
        }
        this.config = config;
        this.profile = profile;
        this.serdes = serdes;
        this.progress = progress;
        this.engine = GuardEngine.of(models);
        ProfileBook.Outcome outcome = engine.profiles().offer(profile, new ProfileOrigin("file", -1, -1), true);
        if (outcome == ProfileBook.Outcome.REFUSED) {
            ProfileBook.Refusal r = engine.profiles().pollRefusal();
            throw new NcguardException((r == null ? "profile " + profile.profileId() + " was refused" : r.message())
                    + "; give the --model ID=M.onnx the profile was made for (its sha256 is " + profile.modelSha256()
                    + ")");
        }
    }

    /**
     * Runs the replay to the end of its range.
     *
     * @throws NcguardException when the brokers cannot be reached, the requests topic does not exist, the range holds
     *                          no records, or the outputs cannot be written
     */
    public ReplaySummary run() throws NcguardException {
        Properties common = ClientSettings.of(config.bootstrap(), config.kafka());
        int partitions = ReplayTopics.ensure(common, config);
        Properties cp = new Properties();
        cp.putAll(common);
        cp.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        cp.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        cp.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cp, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
                ReplayWriter writer = new ReplayWriter(common, config, serdes);
                RequestScorer scorer = new RequestScorer(engine, new GuardPolicy(GuardMode.FLAG))) {
            List<PartitionInfo> infos = consumer.partitionsFor(config.requests());
            if (infos == null || infos.size() != partitions) {
                throw new NcguardException("cannot list the partitions of " + config.requests() + " at "
                        + config.bootstrap());
            }
            ReplayPlan plan = ReplayPlan.of(consumer, infos, config);
            if (plan.size() == 0) {
                throw new NcguardException("no requests in " + config.requests() + " in " + config.range()
                        + " (nothing retained there); give a --from/--to range that holds traffic");
            }
            ReplayTally tally = new ReplayTally();
            boolean complete = true;
            if (plan.todo() > 0) {
                complete = loop(consumer, writer, scorer, plan, tally);
            } else {
                say("replay: nothing new in " + config.range() + ": an earlier replay into " + config.out()
                        + " covered it (group " + config.groupId() + "); --restart replays it again");
            }
            return tally.summary(config, profile.profileId(), plan.resumed(), complete);
        } catch (KafkaException e) {
            throw new NcguardException("replay against " + config.bootstrap() + " failed: "
                    + ClientSettings.explain(e) + " (progress so far is kept, run again to resume)", e);
        }
    }

    /**
     * Asks a running replay to stop (Ctrl-C): it commits what it wrote and {@link #run()} returns a summary that is
     * not {@link ReplaySummary#complete()}. Safe from any thread.
     */
    public void stop() {
        stop = true;
    }

    /** Returns whether the range's end was reached (false: stopped). */
    private boolean loop(KafkaConsumer<byte[], byte[]> consumer, ReplayWriter writer, RequestScorer scorer,
                         ReplayPlan plan, ReplayTally tally) throws NcguardException {
        Map<TopicPartition, Long> ends = new HashMap<>();
        Map<TopicPartition, Long> next = new HashMap<>();
        List<TopicPartition> assigned = new ArrayList<>();
        for (PartitionSpan s : plan.spans()) {
            if (s.todo() > 0) {
                ends.put(s.partition(), s.end());
                next.put(s.partition(), s.resume());
                assigned.add(s.partition());
            }
        }
        consumer.assign(assigned);
        for (PartitionSpan s : plan.spans()) {
            if (s.todo() > 0) {
                consumer.seek(s.partition(), s.resume());
            }
        }
        Set<TopicPartition> open = new java.util.HashSet<>(assigned);
        long total = plan.todo();
        long lastCommit = System.currentTimeMillis();
        long lastProgress = lastCommit;
        long lastMove = lastCommit;
        long done = 0;
        say("replay: " + total + " records of " + config.requests() + " in " + config.range()
                + (plan.resumed() ? " (resuming the replay into " + config.out() + ")" : ""));
        while (!open.isEmpty()) {
            ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
            for (TopicPartition tp : records.partitions()) {
                long end = ends.get(tp);
                for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
                    if (r.offset() >= end) {
                        break;
                    }
                    handle(r, writer, scorer, tally);
                    next.put(tp, r.offset() + 1);
                    done++;
                    lastMove = System.currentTimeMillis();
                }
            }
            for (TopicPartition tp : List.copyOf(open)) {
                if (consumer.position(tp) >= ends.get(tp)) {
                    next.put(tp, ends.get(tp));
                    open.remove(tp);
                    consumer.pause(Set.of(tp));
                }
            }
            long now = System.currentTimeMillis();
            if (stop) {
                commit(consumer, writer, next);
                say(String.format("replay: stopped at %d/%d records; run again with the same --out to go on", done,
                        total));
                return false;
            }
            if (open.isEmpty() || now - lastCommit >= COMMIT_EVERY_MS) {
                commit(consumer, writer, next);
                lastCommit = now;
            }
            if (now - lastProgress >= PROGRESS_EVERY_MS || open.isEmpty()) {
                say(String.format("replay: %d/%d records (%d%%), %d flagged, %d unreadable", done, total,
                        total == 0 ? 100 : done * 100 / total, tally.flaggedCount(), tally.unreadableCount()));
                lastProgress = now;
            }
            if (!open.isEmpty() && now - lastMove > STALL_MS) {
                throw new NcguardException("replay made no progress for " + STALL_MS / 1000 + " s on " + open
                        + " (an open transaction, or a broker down?); progress so far is kept, run again to resume");
            }
        }
        return true;
    }

    private void handle(ConsumerRecord<byte[], byte[]> r, ReplayWriter writer, RequestScorer scorer,
                        ReplayTally tally) {
        if (!config.range().contains(r.timestamp())) {
            tally.outside();
            return;
        }
        tally.seen(r.timestamp());
        tally.read();
        String where = r.topic() + "-" + r.partition() + "@" + r.offset();
        long start = System.nanoTime();
        InferenceRequest request;
        RequestScorer.Scored scored;
        try {
            request = reader().read(r.topic(), r.value());
            scored = scorer.score(request);
        } catch (MalformedRequestException e) {
            tally.unreadable(e.reason().wire(), where, e.getMessage());
            return;
        } catch (RuntimeException e) {
            tally.unreadable("processing-error", where, String.valueOf(e));
            return;
        }
        long micros = (System.nanoTime() - start) / 1000;
        String id = String.valueOf(request.getId());
        GuardVerdict verdict = scored.verdict(id, micros, Instant.now(), true);
        writer.verdict(id, verdict, r.timestamp());
        if (scored.decision().suspicious()) {
            writer.alert(id, scored.alert(verdict, r.topic(), r.partition(), r.offset()), r.timestamp());
        }
        tally.scored(scored.decision().suspectedLabel(), id);
    }

    private RequestReader reader() {
        if (reader == null) {
            reader = serdes.newRequestReader();
        }
        return reader;
    }

    /** Flushes the outputs, then commits what they cover: nothing is marked done before it is written. */
    private static void commit(KafkaConsumer<byte[], byte[]> consumer, ReplayWriter writer,
                               Map<TopicPartition, Long> next) throws NcguardException {
        writer.flush();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        next.forEach((tp, o) -> offsets.put(tp, new OffsetAndMetadata(o)));
        consumer.commitSync(offsets);
    }

    private void say(String line) {
        if (progress != null) {
            progress.println(line);
            progress.flush();
        }
    }
}
