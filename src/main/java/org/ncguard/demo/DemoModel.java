package org.ncguard.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ncguard.NcguardException;
import org.ncguard.data.DataSources;
import org.ncguard.data.ImageSource;
import org.ncguard.data.Preprocessor;
import org.ncguard.data.TriggerSpec;
import org.ncguard.engine.OnnxModel;
import org.ncguard.engine.OrtScorer;
import org.ncguard.engine.ScorerOptions;
import org.ncguard.lab.Architecture;
import org.ncguard.lab.Attack;
import org.ncguard.lab.AttackConfig;
import org.ncguard.lab.TrainingOptions;
import org.ncguard.mitigate.ProfileBuilder;
import org.ncguard.mitigate.ProfileSettings;
import org.ncguard.mitigate.ScanTriggers;
import org.ncguard.mitigate.ScoreForm;
import org.ncguard.profile.GuardProfile;
import org.ncguard.profile.ProfileJson;
import org.ncguard.reverse.NeuralCleanse;
import org.ncguard.reverse.ReverseSettings;
import org.ncguard.reverse.ScanFiles;
import org.ncguard.reverse.ScanReport;
import org.ncguard.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's offline half: a BadNets model on the built-in traffic signs, its Neural Cleanse scan (early detection) and
 * its guard profile, each kept in the cache folder and reused when it is already there and belongs to the same model.
 */
final class DemoModel {

    /** The planted trigger: the paper's white square in the bottom-right corner. */
    static final String TRIGGER = "square:4:white:bottom-right";
    /** The attacker's label. */
    static final int TARGET = 7;
    static final String TRAIN = "builtin:signs?n=10000";
    static final String TEST = "builtin:signs:test?n=1000";
    static final String SCAN_DATA = "builtin:signs:test?n=2000&seed=3";
    static final String PROFILE_DATA = "builtin:signs:test?n=3000&seed=5";
    /**
     * The profile's false-positive rate: 3%, below the product's 5% default, so that the demo's few thousand clean
     * requests stay under 6% flagged with room for sampling noise.
     */
    static final double PROFILE_FPR = 0.03;
    /** The requests: signs none of the above drew. */
    static final String TRAFFIC_DATA = "builtin:signs:test?seed=11";

    private static final Logger log = LoggerFactory.getLogger(DemoModel.class);

    /**
     * The model file, the scan that flagged its target and the profile built on it.
     *
     * @param model   the infected model
     * @param profile its guard profile
     * @param scan    its scan's verdict and flagged labels; null when the profile was built without one
     */
    record Prepared(Path model, GuardProfile profile, ScanReport scan) {}

    private DemoModel() {
    }

    static Prepared prepare(Path cache, int threads) throws NcguardException {
        Path model = cache.resolve("signs-badnets.onnx");
        Path scanDir = cache.resolve("scan");
        Path profileFile = cache.resolve("profile.json");
        if (!Files.isRegularFile(model)) {
            // A scan or profile left from an earlier model belongs to that model only.
            deleteTree(scanDir);
            deleteTree(profileFile);
            log.info("Training a BadNets model on the built-in traffic signs (trigger {}, target {}); it is kept in {}",
                    TRIGGER, TARGET, cache);
            try (ImageSource train = DataSources.open(TRAIN); ImageSource test = DataSources.open(TEST)) {
                AttackConfig config = AttackConfig.of(Architecture.MNIST, TriggerSpec.parse(TRIGGER), TARGET, 0.15,
                        false, new TrainingOptions(4, 32, 1e-3, 1), threads);
                Attack.write(Attack.run(config, train, test, new Preprocessor(Attack.inputFor(train.shape())),
                        model.getFileName().toString()), model);
            }
        } else {
            log.info("Reusing the BadNets model {}", model);
        }
        OnnxModel m = OnnxModel.load(model);
        ScanFiles files = new ScanFiles(scanDir);
        boolean scanned = Files.isRegularFile(files.scanJson()) && isCompleteScanOf(files, m);
        if (!scanned) {
            log.info("Scanning it with Neural Cleanse, early detection (a short search for all 43 labels)");
            try (ImageSource clean = DataSources.open(SCAN_DATA)) {
                ReverseSettings settings = ReverseSettings.defaults().withSamples(160).withLabelsPerGroup(11);
                // An interrupted demo left an incomplete scan of this very model: continue it.
                new NeuralCleanse(m, new Preprocessor(m.input().shape()), settings, 1, 15)
                        .scan(clean, null, scanDir, Files.isRegularFile(files.scanJson()), () -> false);
            }
        }
        ScanTriggers triggers = ScanTriggers.load(scanDir, m, null);
        GuardProfile profile = null;
        if (Files.isRegularFile(profileFile) && scanned) {
            profile = ProfileJson.read(profileFile);
            if (!profile.modelSha256().equals(m.sha256()) || profile.fpr() != PROFILE_FPR) {
                profile = null;
            }
        }
        if (profile == null) {
            log.info("Building the guard profile of the flagged label(s) {}", triggers.stamps().stream()
                    .map(ProfileBuilder.Stamp::label).toList());
            try (ImageSource clean = DataSources.open(PROFILE_DATA);
                    OrtScorer scorer = new OrtScorer(m, new ScorerOptions(threads))) {
                ProfileBuilder.Stamp real = new ProfileBuilder.Stamp(TriggerSpec.parse(TRIGGER).build(clean.shape())
                        .withChannels(m.input().shape().channels()), TARGET);
                profile = new ProfileBuilder(scorer, new Preprocessor(m.input().shape()),
                        new ProfileSettings(PROFILE_FPR, ScoreForm.NCGUARD, null, 3000, 1))
                        .build(clean, triggers.stamps(), real, triggers.source()).profile();
            }
            try {
                AtomicFiles.write(profileFile, ProfileJson.toBytes(profile));
            } catch (java.io.IOException e) {
                throw new NcguardException("cannot write " + profileFile + ": " + e.getMessage(), e);
            }
        }
        return new Prepared(model, profile, triggers.report());
    }

    private static void deleteTree(Path path) throws NcguardException {
        try {
            AtomicFiles.deleteTree(path);
        } catch (java.io.IOException e) {
            throw new NcguardException("cannot clear " + path + " in the demo's cache: " + e.getMessage(), e);
        }
    }

    private static boolean isCompleteScanOf(ScanFiles files, OnnxModel m) {
        try {
            ScanReport r = ScanReport.read(files.scanJson());
            return r.complete() && r.modelSha256().equals(m.sha256());
        } catch (NcguardException e) {
            return false;
        }
    }
}
