package org.ncguard.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.data.DataSources;
import org.ncguard.data.ImageSource;
import org.ncguard.data.Preprocessor;
import org.ncguard.data.TriggerSpec;
import org.ncguard.engine.NativeThreads;
import org.ncguard.engine.OnnxModel;
import org.ncguard.engine.OrtScorer;
import org.ncguard.engine.ScorerOptions;
import org.ncguard.guard.Guarantee;
import org.ncguard.guard.GuardMode;
import org.ncguard.lab.Architecture;
import org.ncguard.lab.Attack;
import org.ncguard.lab.AttackConfig;
import org.ncguard.lab.TrainingOptions;
import org.ncguard.mitigate.ProfileBuilder;
import org.ncguard.mitigate.ProfileSettings;
import org.ncguard.mitigate.ScoreForm;
import org.ncguard.profile.GuardProfile;

/**
 * The demo's online half on a real BadNets model and its profile: embedded broker, profile published to the topic,
 * guard, paced mixed traffic. Every request comes out exactly once, and the guard quarantines the triggered ones.
 * (The offline half is the attack, scan and profile commands, tested on their own.)
 */
class DemoGuardTest {

    @TempDir
    Path dir;

    @Test
    void everyRequestIsAccountedForAndTriggeredOnesAreQuarantined() throws Exception {
        NativeThreads.configure(1);
        Path model = dir.resolve("demo.onnx");
        try (ImageSource train = DataSources.open("builtin:signs?n=4000");
                ImageSource test = DataSources.open("builtin:signs:test?n=258")) {
            AttackConfig config = AttackConfig.of(Architecture.MNIST, TriggerSpec.parse(DemoModel.TRIGGER),
                    DemoModel.TARGET, 0.2, false, new TrainingOptions(3, 32, 1e-3, 1), 1);
            Attack.write(Attack.run(config, train, test, new Preprocessor(Attack.inputFor(train.shape())),
                    "demo.onnx"), model);
        }
        OnnxModel m = OnnxModel.load(model);
        GuardProfile profile;
        // The real trigger stands in for the reversed one here: this test is about the guard, not the scan.
        try (ImageSource clean = DataSources.open("builtin:signs:test?n=900&seed=5");
                OrtScorer scorer = new OrtScorer(m, new ScorerOptions(1))) {
            ProfileBuilder.Stamp real = new ProfileBuilder.Stamp(TriggerSpec.parse(DemoModel.TRIGGER)
                    .build(clean.shape()), DemoModel.TARGET);
            profile = new ProfileBuilder(scorer, new Preprocessor(m.input().shape()),
                    new ProfileSettings(0.05, ScoreForm.NCGUARD, null, 900, 1))
                    .build(clean, List.of(real), real, null).profile();
        }
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        DemoSettings settings = new DemoSettings(dir, 300, 0.3, 150, GuardMode.DROP, Guarantee.EXACTLY_ONCE, 1);
        DemoReport r = new Demo(settings, new PrintStream(progress, true, StandardCharsets.UTF_8))
                .runGuard(new DemoModel.Prepared(model, profile, null));

        assertEquals(300, r.requests());
        assertEquals(300, r.clean() + r.triggered());
        assertEquals(0, r.lost(), "lost requests");
        assertEquals(0, r.duplicates(), "duplicated requests");
        assertTrue(r.triggered() > 50, "triggered requests sent: " + r.triggered());
        assertTrue(r.catchRate() >= 0.85, "caught " + r.caughtTriggered() + " of " + r.triggered());
        assertTrue(r.falsePositiveRate() <= 0.15, "flagged " + r.falsePositives() + " of " + r.clean());
        assertTrue(r.p50LatencyMs() > 0 && r.p99LatencyMs() >= r.p50LatencyMs(), r.toString());
        assertTrue(progress.toString(StandardCharsets.UTF_8).contains("applied"), progress.toString());
    }
}
