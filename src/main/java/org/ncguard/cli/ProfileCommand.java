package org.ncguard.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ncguard.AtomicFiles;
import org.ncguard.NcguardException;
import org.ncguard.data.ImageSource;
import org.ncguard.data.TriggerSpec;
import org.ncguard.engine.OnnxModel;
import org.ncguard.engine.OrtScorer;
import org.ncguard.engine.ScorerOptions;
import org.ncguard.mitigate.LabelFigures;
import org.ncguard.mitigate.ProfileBuilder;
import org.ncguard.mitigate.ProfilePage;
import org.ncguard.mitigate.ProfileSettings;
import org.ncguard.mitigate.RocMath;
import org.ncguard.mitigate.ScanTriggers;
import org.ncguard.mitigate.ScoreForm;
import org.ncguard.profile.GuardProfile;
import org.ncguard.profile.ProfileJson;
import org.ncguard.profile.ProfileKeys;
import org.ncguard.profile.ProfileSignatures;
import org.ncguard.profile.RocCurve;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ncguard profile}: the guard profile of a scanned model, with its page. */
@Command(name = "profile", mixinStandardHelpOptions = true,
        description = "Build the guard profile of a scanned model: for each flagged label, the penultimate neurons its "
                + "reversed trigger excites, a score over them and a threshold set at --fpr on clean data; measure "
                + "the filter (FNR at FPR 1/5/10/20%%, AUC) on held-out clean data. Writes --out (JSON) and a page "
                + "beside it (.html).")
final class ProfileCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "M.onnx", description = "The ONNX classifier.")
    Path model;

    @Option(names = "--scan", required = true, paramLabel = "DIR", description = "The model's scan folder.")
    Path scan;

    @Mixin
    DataOptions data;

    @Option(names = "--out", required = true, paramLabel = "profile.json", description = "The profile to write.")
    Path out;

    @Option(names = "--fpr", defaultValue = "0.05",
            description = "False-positive rate the thresholds are set at on clean data (default: ${DEFAULT-VALUE}).")
    double fpr;

    @Option(names = "--score", defaultValue = "ncguard", paramLabel = "ncguard|paper",
            description = "ncguard: neurons z-scored on clean data, weighted by effect size; paper: mean of the top 1%% "
                    + "of neurons (default: ${DEFAULT-VALUE}). Both are measured.")
    String score;

    @Option(names = "--neurons", paramLabel = "N",
            description = "Neurons per label (default: 100 for ncguard, 1%% of the layer for paper).")
    Integer neurons;

    @Option(names = "--labels", paramLabel = "LIST",
            description = "Labels to guard, comma-separated (default: the scan's flagged labels).")
    String labels;

    /** The real trigger, when known (lab models): measured beside the reversed one. */
    @Mixin
    RealTriggerOptions real;

    @Option(names = "--samples", defaultValue = "3000",
            description = "Clean images in all, split into ranking, calibration and held-out thirds "
                    + "(default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the split (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print the figures as one JSON object instead of text.")
    boolean json;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--sign-key", paramLabel = "K",
            description = "Sign the profile with this private key (NAME.key from 'ncguard keygen'): guards started "
                    + "with --trust-key apply only signed profiles.")
    Path signKey;

    @Override
    public Integer call() throws Exception {
        TriggerSpec realSpec = real.spec();
        if (out.toAbsolutePath().normalize().equals(model.toAbsolutePath().normalize())) {
            throw new NcguardException("--out " + out + " is the model itself; write the profile to another file");
        }
        ProfileSettings settings;
        try {
            settings = new ProfileSettings(fpr, ScoreForm.of(score), neurons, samples, seed);
        } catch (IllegalArgumentException e) {
            throw new NcguardException("bad profile option: " + e.getMessage());
        }
        PrivateKey key = signKey == null ? null : ProfileKeys.readPrivate(signKey); // a bad key fails before the work
        OnnxModel m = OnnxModel.load(model);
        real.requireTargetBelow(m.labels(), m.source());
        ScanTriggers scanned = ScanTriggers.load(scan, m, labels == null ? null : Labels.parse("--labels", labels));
        Path page = pageOf(out);
        ProfileBuilder.Result result;
        try (ImageSource images = data.open(); OrtScorer scorer = new OrtScorer(m, new ScorerOptions(threads.count()))) {
            ProfileBuilder.Stamp realStamp = realSpec == null ? null : new ProfileBuilder.Stamp(
                    realSpec.build(images.shape()).withChannels(m.input().shape().channels()), real.target);
            result = new ProfileBuilder(scorer, data.preprocessor(m.input().shape()), settings)
                    .build(images, scanned.stamps(), realStamp, scanned.source());
        }
        GuardProfile written = key == null ? result.profile() : ProfileSignatures.sign(result.profile(), key);
        write(out, ProfileJson.toBytes(written));
        write(page, ProfilePage.render(result, m.source().replaceAll(".*/", ""))
                .getBytes(StandardCharsets.UTF_8));
        if (json) {
            Map<String, Object> summary = summary(result, page);
            summary.put("signedBy", written.signed() ? written.signature().keyId() : null);
            System.out.println(new ObjectMapper().writeValueAsString(summary));
        } else {
            print(result, out, page);
            System.out.println(written.signed() ? "signed by key " + written.signature().keyId()
                    : "unsigned (guards started with --trust-key refuse it; sign with --sign-key)");
        }
        return 0;
    }

    /** {@code x.json} -> {@code x.html}; any other name gets {@code .html} appended. */
    static Path pageOf(Path profile) {
        String name = profile.getFileName().toString();
        String stem = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return profile.resolveSibling(stem + ".html");
    }

    private static void write(Path file, byte[] bytes) throws NcguardException {
        try {
            AtomicFiles.write(file, bytes);
        } catch (IOException e) {
            throw new NcguardException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void print(ProfileBuilder.Result result, Path out, Path page) {
        GuardProfile p = result.profile();
        System.out.printf("profile  %s (id %s, score %s, fpr %s)%n", out, p.profileId(), p.score(),
                percent(p.fpr()));
        if (p.clean()) {
            System.out.println("the scan flagged no label: the profile has no labels, and the guard will pass this "
                    + "model's traffic (marked as unguarded)");
        } else {
            System.out.printf("%-6s %-8s %7s %-9s %8s %8s %8s %8s %7s %9s%n", "label", "score", "neurons", "trigger",
                    "FNR@1%", "FNR@5%", "FNR@10%", "FNR@20%", "AUC", "FPR held");
            for (LabelFigures f : result.figures()) {
                line(f, "reversed", f.reversed(), p);
                if (f.real() != null) {
                    line(f, "real", f.real(), p);
                }
            }
        }
        System.out.println("page: " + page);
    }

    private static void line(LabelFigures f, String trigger, RocCurve c, GuardProfile p) {
        StringBuilder s = new StringBuilder(String.format("%-6d %-8s %7d %-9s", f.label(), f.form().id(),
                f.neurons(), trigger));
        for (double fpr : RocMath.REPORTED_FPRS) {
            s.append(String.format(" %8s", percent(c.fnrAt(fpr))));
        }
        s.append(String.format(" %7.4f %9s%s", c.auc(), percent(f.heldOutFpr()),
                f.form().id().equals(p.score()) ? "  (in profile)" : ""));
        System.out.println(s);
    }

    private static Map<String, Object> summary(ProfileBuilder.Result result, Path page) {
        GuardProfile p = result.profile();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("profileId", p.profileId());
        r.put("score", p.score());
        r.put("fpr", p.fpr());
        r.put("labels", p.labels().stream().map(l -> l.label()).toList());
        List<Map<String, Object>> figures = new ArrayList<>();
        for (LabelFigures f : result.figures()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", f.label());
            m.put("score", f.form().id());
            m.put("neurons", f.neurons());
            m.put("threshold", f.threshold());
            m.put("heldOutFpr", f.heldOutFpr());
            m.put("reversed", curve(f.reversed()));
            m.put("real", f.real() == null ? null : curve(f.real()));
            figures.add(m);
        }
        r.put("figures", figures);
        r.put("page", page.toString());
        return r;
    }

    private static Map<String, Object> curve(RocCurve c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("auc", c.auc());
        for (double fpr : RocMath.REPORTED_FPRS) {
            m.put("fnrAt" + Math.round(100 * fpr), c.fnrAt(fpr));
        }
        return m;
    }

    private static String percent(double share) {
        return String.format("%.1f%%", 100 * share);
    }
}
