package org.ncguard.guard;

import java.security.PublicKey;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.ncguard.engine.ImageShape;
import org.ncguard.guard.score.ModelRunner;
import org.ncguard.guard.score.PixelTable;
import org.ncguard.guard.score.ServedModels;
import org.ncguard.profile.GuardProfile;
import org.ncguard.profile.InputSpec;
import org.ncguard.profile.ProfileSignatures;

/**
 * The profile in force for each served model, shared by every stream task of this instance and updated live from
 * files and the profiles topic. Profiles are matched to models by {@code modelSha256}; one that fits no served model
 * (another model, another penultimate layer or input) is refused and the previous one stays. Among profiles that fit,
 * the newest {@code createdAt} wins, whatever the order they arrive in (files at start, then the topic).
 *
 * <p>With trusted keys, a profile must first be signed by one of them and unchanged since ({@link ProfileSignatures}),
 * from a file as from the topic: whoever can write to the profiles topic could otherwise switch the guard off.
 */
public final class ProfileBook {

    /** What became of an offered profile. */
    public enum Outcome {
        /** Now in force. */
        APPLIED,
        /** Already in force (same profile id). */
        UNCHANGED,
        /** Older than the one in force; ignored. */
        STALE,
        /** Not signed by a trusted key, or does not fit any served model; the previous profile stays. */
        REFUSED
    }

    /**
     * A profile in force.
     *
     * @param profile the profile
     * @param pixels  its preprocessing of UINT8 images
     * @param version 1 for the first profile applied to the model since start, then 2, ...
     * @param origin  where it came from
     */
    public record Active(GuardProfile profile, PixelTable pixels, int version, ProfileOrigin origin) {}

    /**
     * A profile that was refused.
     *
     * @param origin      where it came from
     * @param profileId   its id, or null when it could not be read
     * @param modelSha256 the model it names, or null
     * @param reason      short reason ({@code unknown-model}, {@code mismatch}, {@code invalid}, and with trusted keys
     *                    {@code unsigned}, {@code unknown-key}, {@code bad-signature})
     * @param message     what is wrong, in a sentence
     */
    public record Refusal(ProfileOrigin origin, String profileId, String modelSha256, String reason, String message) {}

    private final ServedModels models;
    private final GuardMetrics metrics;
    private final Map<String, Active> bySha = new ConcurrentHashMap<>();
    private final Map<String, Integer> versions = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Refusal> refusals = new ConcurrentLinkedQueue<>();
    private final List<PublicKey> trusted;

    /** A book that applies profiles without verifying signatures. */
    public ProfileBook(ServedModels models, GuardMetrics metrics) {
        this(models, metrics, List.of());
    }

    /**
     * A book that applies only profiles signed by one of {@code trusted} (empty: profiles are not verified).
     */
    public ProfileBook(ServedModels models, GuardMetrics metrics, List<PublicKey> trusted) {
        this.models = models;
        this.metrics = metrics;
        this.trusted = List.copyOf(trusted);
        for (ModelRunner m : models.all()) {
            metrics.profileVersion(m.id(), this, b -> b.version(m.sha256()));
        }
    }

    /** The profile in force for the model file {@code sha256}, or null. */
    public Active forModel(String sha256) {
        return bySha.get(sha256);
    }

    /** How many profiles were applied to model file {@code sha256} (0: none). */
    public int version(String sha256) {
        return versions.getOrDefault(sha256, 0);
    }

    /**
     * Applies {@code profile} if it fits a served model and is not older than the one in force.
     *
     * @param announce whether a refusal is queued for an alert ({@link #pollRefusal()}); false when re-reading
     */
    public synchronized Outcome offer(GuardProfile profile, ProfileOrigin origin, boolean announce) {
        ProfileSignatures.Check trust = trusted.isEmpty() ? ProfileSignatures.Check.VALID
                : ProfileSignatures.check(profile, trusted);
        if (trust != ProfileSignatures.Check.VALID) {
            refuse(new Refusal(origin, profile.profileId(), profile.modelSha256(), trust.reason(),
                    untrusted(profile, origin, trust)), announce);
            return Outcome.REFUSED;
        }
        ModelRunner model = null;
        for (ModelRunner m : models.all()) {
            if (m.sha256().equals(profile.modelSha256())) {
                model = m;
            }
        }
        if (model == null) {
            refuse(new Refusal(origin, profile.profileId(), profile.modelSha256(), "unknown-model", "profile "
                    + profile.profileId() + " from " + origin + " is for model sha256 " + profile.modelSha256()
                    + ", which this guard does not serve (served: " + served() + ")"), announce);
            return Outcome.REFUSED;
        }
        String mismatch = mismatch(profile, model);
        if (mismatch != null) {
            refuse(new Refusal(origin, profile.profileId(), profile.modelSha256(), "mismatch", "profile "
                    + profile.profileId() + " from " + origin + " does not fit model " + model.id() + ": " + mismatch),
                    announce);
            return Outcome.REFUSED;
        }
        Active current = bySha.get(profile.modelSha256());
        if (current != null && current.profile().profileId().equals(profile.profileId())) {
            return Outcome.UNCHANGED;
        }
        if (current != null && older(profile, current.profile())) {
            return Outcome.STALE;
        }
        int version = versions.merge(profile.modelSha256(), 1, Integer::sum);
        bySha.put(profile.modelSha256(), new Active(profile, PixelTable.of(profile.input()), version, origin));
        return Outcome.APPLIED;
    }

    /** Whether profiles must be signed by a trusted key. */
    public boolean verifies() {
        return !trusted.isEmpty();
    }

    /** Why the profile is not trusted, in a sentence that says what to do. */
    private String untrusted(GuardProfile p, ProfileOrigin origin, ProfileSignatures.Check check) {
        String what = "profile " + p.profileId() + " from " + origin;
        return switch (check) {
            case VALID -> what + " is signed by a trusted key";
            case UNSIGNED -> what + " is unsigned; this guard applies only profiles signed by a trusted key (sign it "
                    + "with 'ncguard publish-profile --sign-key K')";
            case UNKNOWN_KEY -> what + " is signed by key " + p.signature().keyId() + ", which this guard does not "
                    + "trust (trusted: " + trustedIds() + ")";
            case BAD_SIGNATURE -> what + " carries a signature of key " + p.signature().keyId() + " that does not "
                    + "match its content: altered after signing, or forged";
        };
    }

    private String trustedIds() {
        return String.join(", ", trusted.stream().map(ProfileSignatures::keyId).toList());
    }

    /** Records a profile record that could not be read at all. */
    public void refuseUnreadable(ProfileOrigin origin, String message, boolean announce) {
        refuse(new Refusal(origin, null, null, "invalid", "profile record " + origin + " is not a guard profile: "
                + message), announce);
    }

    /** The next refusal to raise an alert for, or null. */
    public Refusal pollRefusal() {
        return refusals.poll();
    }

    private void refuse(Refusal r, boolean announce) {
        metrics.profileRefused(r.reason());
        if (announce) {
            refusals.add(r);
        }
    }

    private String served() {
        List<String> s = new ArrayList<>();
        models.all().forEach(m -> s.add(m.id() + "=" + m.sha256()));
        return String.join(", ", s);
    }

    private static String mismatch(GuardProfile p, ModelRunner m) {
        if (p.labelsCount() != m.labels()) {
            return "the profile has " + p.labelsCount() + " labels, the model " + m.labels();
        }
        if (!p.penultimate().name().equals(m.penultimateName()) || p.penultimate().size() != m.penultimateSize()) {
            return "the profile watches '" + p.penultimate().name() + "' (" + p.penultimate().size() + "), the model's "
                    + "penultimate layer is '" + m.penultimateName() + "' (" + m.penultimateSize() + ")";
        }
        InputSpec in = p.input();
        ImageShape s = m.shape();
        if (!in.name().equals(m.inputName()) || !in.layout().equals(s.layout().name()) || in.channels() != s.channels()
                || in.height() != s.height() || in.width() != s.width()) {
            return "the profile's input is " + in.name() + " " + in.layout() + " " + in.channels() + "x" + in.height()
                    + "x" + in.width() + ", the model's " + m.inputName() + " " + s;
        }
        return null;
    }

    private static boolean older(GuardProfile candidate, GuardProfile current) {
        try {
            return Instant.parse(candidate.createdAt()).isBefore(Instant.parse(current.createdAt()));
        } catch (DateTimeParseException | NullPointerException e) {
            return String.valueOf(candidate.createdAt()).compareTo(String.valueOf(current.createdAt())) < 0;
        }
    }
}
