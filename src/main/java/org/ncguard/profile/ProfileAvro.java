package org.ncguard.profile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link GuardProfile} and its Avro record ({@code schemas/GuardProfile.avsc}, class {@code
 * org.ncguard.avro.GuardProfile}), field for field, so that the profiles topic carries exactly what profile.json holds.
 */
public final class ProfileAvro {

    private ProfileAvro() {
    }

    /** The Avro record of {@code p}. */
    public static org.ncguard.avro.GuardProfile toAvro(GuardProfile p) {
        List<org.ncguard.avro.LabelProfile> labels = new ArrayList<>();
        for (LabelProfile l : p.labels()) {
            labels.add(new org.ncguard.avro.LabelProfile(l.label(), ints(l.neurons()), floats(l.weights()),
                    floats(l.center()), floats(l.scale()), l.threshold(), floats(l.gaps()), l.cleanMean(),
                    l.cleanStd(), new org.ncguard.avro.Roc(curve(l.roc().reversed()), curve(l.roc().real()))));
        }
        InputSpec in = p.input();
        return new org.ncguard.avro.GuardProfile(p.formatVersion(), p.profileId(), p.createdAt(), p.modelSha256(),
                p.labelsCount(), new org.ncguard.avro.PenultimateLayer(p.penultimate().name(), p.penultimate().size()),
                new org.ncguard.avro.InputSpec(in.name(), in.layout(), in.channels(), in.height(), in.width(),
                        in.scale(), floats(in.mean()), floats(in.std())),
                p.fpr(), p.score(), labels,
                p.scan() == null ? null
                        : new org.ncguard.avro.ScanSource(p.scan().path(), p.scan().verdict(), p.scan().sha256()),
                new TreeMap<>(p.versions()),
                p.signature() == null ? null : new org.ncguard.avro.ProfileSignature(p.signature().keyId(),
                        p.signature().algorithm(), p.signature().value()));
    }

    /**
     * The profile an Avro record holds.
     *
     * @throws InvalidProfileException when its content is contradictory (the record's checks fail)
     */
    public static GuardProfile fromAvro(org.ncguard.avro.GuardProfile a) throws InvalidProfileException {
        try {
            List<LabelProfile> labels = new ArrayList<>();
            for (org.ncguard.avro.LabelProfile l : a.getLabels()) {
                labels.add(new LabelProfile(l.getLabel(), ints(l.getNeurons()), floats(l.getWeights()),
                        floats(l.getCenter()), floats(l.getScale()), l.getThreshold(), floats(l.getGaps()),
                        l.getCleanMean(), l.getCleanStd(),
                        new Roc(curve(l.getRoc().getReversed()), curve(l.getRoc().getReal()))));
            }
            org.ncguard.avro.InputSpec in = a.getInput();
            org.ncguard.avro.ScanSource scan = a.getScan();
            org.ncguard.avro.ProfileSignature sig = a.getSignature();
            return new GuardProfile(a.getFormatVersion(), a.getProfileId(), a.getCreatedAt(), a.getModelSha256(),
                    a.getLabelsCount(), new PenultimateLayer(a.getPenultimate().getName(), a.getPenultimate().getSize()),
                    new InputSpec(in.getName(), in.getLayout(), in.getChannels(), in.getHeight(), in.getWidth(),
                            in.getScale(), floats(in.getMean()), floats(in.getStd())),
                    a.getFpr(), a.getScore(), labels,
                    scan == null ? null : new ScanSource(scan.getPath(), scan.getVerdict(), scan.getSha256()),
                    Map.copyOf(a.getVersions()),
                    sig == null ? null : new ProfileSignature(sig.getKeyId(), sig.getAlgorithm(), sig.getValue()));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidProfileException("profile record " + a.getProfileId() + " is not a valid guard profile: "
                    + e.getMessage(), e);
        }
    }

    private static org.ncguard.avro.RocCurve curve(RocCurve c) {
        if (c == null) {
            return null;
        }
        List<org.ncguard.avro.RocPoint> points = new ArrayList<>();
        c.points().forEach(p -> points.add(new org.ncguard.avro.RocPoint(p.fpr(), p.fnr())));
        return new org.ncguard.avro.RocCurve(c.auc(), points);
    }

    private static RocCurve curve(org.ncguard.avro.RocCurve c) {
        if (c == null) {
            return null;
        }
        List<RocCurve.Point> points = new ArrayList<>();
        c.getPoints().forEach(p -> points.add(new RocCurve.Point(p.getFpr(), p.getFnr())));
        return new RocCurve(c.getAuc(), points);
    }

    private static List<Integer> ints(int[] values) {
        List<Integer> list = new ArrayList<>(values.length);
        for (int v : values) {
            list.add(v);
        }
        return list;
    }

    private static List<Float> floats(float[] values) {
        List<Float> list = new ArrayList<>(values.length);
        for (float v : values) {
            list.add(v);
        }
        return list;
    }

    private static int[] ints(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

    private static float[] floats(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
