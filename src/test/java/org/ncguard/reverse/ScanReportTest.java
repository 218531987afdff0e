package org.ncguard.reverse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ncguard.NcguardException;
import org.slf4j.LoggerFactory;

class ScanReportTest {

    @TempDir
    Path dir;

    @Test
    void builderComputesStatisticsAndVerdict() {
        ScanReport report = ScanFixtures.tenLabelReport();
        // Worked out in ScanFixtures.TEN_L1.
        assertEquals(52.0, report.median(), 1e-9);
        assertEquals(5.9304, report.mad(), 1e-9);
        assertEquals(40.1392, report.flagBelowL1(), 1e-9);
        assertEquals(List.of(4), report.flagged());
        assertEquals(ScanReport.Verdict.INFECTED, report.verdict());
        assertTrue(report.infected());
        assertEquals(7.250775664, report.result(4).orElseThrow().anomalyIndex(), 1e-8);
        assertEquals(1.517604209, report.result(2).orElseThrow().anomalyIndex(), 1e-8);
        assertEquals(0.0, report.result(0).orElseThrow().anomalyIndex(), 0.0);
        assertNull(report.result(9).orElseThrow().anomalyIndex());
        assertEquals(report.result(4).orElseThrow().anomalyIndex(), report.maxAnomalyIndex());
        assertTrue(report.complete());
        assertEquals(List.of(), report.missingLabels());
        assertEquals(812.5, report.seconds(), 0.0);
        assertEquals("2025-03-01T10:15:30.123Z", report.createdAt());
        assertEquals(ScanReport.FORMAT_VERSION, report.formatVersion());
    }

    @Test
    void anOutlierWhoseTriggerIsANaturalFeatureIsNotFlagged() throws Exception {
        int label = 4;
        ScanReport unchecked = ScanReport.builder("m.onnx", ScanFixtures.SHA, 10)
                .results(ScanFixtures.moderateOutlierReport(0).labels()).build();
        assertEquals(List.of(label), unchecked.outliers());
        assertEquals(List.of(label), unchecked.flagged(), "an outlier not checked yet counts as flagged");

        ScanReport planted = ScanFixtures.moderateOutlierReport(0.1);
        assertEquals(List.of(label), planted.flagged());
        assertTrue(planted.infected());

        ScanReport natural = ScanFixtures.moderateOutlierReport(NaturalFeatureCheck.NATURAL_SHARE);
        assertEquals(List.of(label), natural.outliers());
        assertEquals(List.of(), natural.flagged());
        assertEquals(ScanReport.Verdict.CLEAN, natural.verdict());
        assertTrue(natural.naturalFeature(label));
        assertFalse(planted.naturalFeature(label));

        // A trigger under a quarter of the median L1 stays flagged however natural it looks (label 4: L1 9, median 52).
        ScanReport tiny = ScanFixtures.tenLabelReport().toBuilder().naturalShare(4, 0.95).build();
        assertEquals(List.of(4), tiny.flagged());
        assertTrue(tiny.reasons().get(4).endsWith("natural share 95%, but L1 under 0.25 of the median"),
                tiny.reasons().toString());
        assertTrue(planted.reasons().get(label).contains("natural share 10% < 50%"), planted.reasons().toString());

        natural.write(dir.resolve("scan.json"));
        ScanReport back = ScanReport.read(dir.resolve("scan.json"));
        assertEquals(natural, back);
        assertEquals(0.5, back.result(label).orElseThrow().naturalShare(), 0.0);
        assertThrows(IllegalArgumentException.class, () -> unchecked.toBuilder().naturalShare(9, 1.5).build());
        // A reason for a label that is not flagged is a contradiction (a damaged or hand-edited scan.json).
        assertThrows(IllegalArgumentException.class, () -> new ScanReport(natural.formatVersion(), natural.model(),
                natural.modelSha256(), natural.labelCount(), natural.classNames(), natural.labels(), natural.median(),
                natural.mad(), natural.scale(), natural.threshold(), natural.flagBelowL1(), natural.outliers(),
                List.of(), java.util.Map.of(label, "small"), ScanReport.Verdict.CLEAN, natural.maxAnomalyIndex(), natural.seconds(),
                natural.complete(), natural.notes(), natural.config(), natural.seed(), natural.createdAt(),
                natural.versions(), natural.shard()));
    }

    @Test
    void aTinyTriggerThatTheMadTestMissesIsFlaggedOnLogL1() {
        // Norms spread widely, as on a planted checkerboard the MAD test missed: label 2 is a fifth of the median.
        double[] l1 = {66.9, 50.7, 11.0, 48.8, 44.1, 86.1, 54.0, 76.7, 28.3, 83.8};
        ScanReport.Builder builder = ScanReport.builder("m.onnx", ScanFixtures.SHA, 10);
        for (int label = 0; label < l1.length; label++) {
            builder.result(LabelResult.converged(label, l1[label], 0.99, 50, 1));
        }
        ScanReport report = builder.naturalShare(2, 0.2).build();
        assertTrue(report.result(2).orElseThrow().anomalyIndex() < 2);
        assertEquals(List.of(), report.outliers(), "Neural Cleanse's own verdict: clean");
        assertEquals(List.of(2), report.flagged());
        assertTrue(report.reasons().get(2).startsWith("anomaly index on ln L1 "), report.reasons().toString());
        assertTrue(report.notes().isEmpty(), report.notes().toString());

        // At 0.21 of the median it stays flagged even when it looks natural, as a planted checkerboard did (74%).
        assertEquals(List.of(2), report.toBuilder().naturalShare(2, 0.74).build().flagged());
        assertTrue(ScanFixtures.tenLabelReport().notes().isEmpty(), "a flagged label needs no note");
    }

    @Test
    void aNaturalLabelAtAThirdOfTheMedianIsClearedWithANote() {
        // As on a clean PyTorch colour model: label 0's trigger (L1 12.0) at 0.34 of the median (35.2) is an outlier
        // on ln L1 (index 3.05), and 98.5% of its stamped images lie among its own clean images.
        double[] l1 = {12.0, 20, 28, 33, 34, 36.4, 40, 45, 52, 60};
        ScanReport.Builder builder = ScanReport.builder("m.onnx", ScanFixtures.SHA, 10);
        for (int label = 0; label < l1.length; label++) {
            builder.result(LabelResult.converged(label, l1[label], 0.99, 50, 1));
        }
        ScanReport unchecked = builder.build();
        assertEquals(List.of(0), unchecked.flagged(), "a candidate not checked yet counts as flagged");
        ScanReport natural = unchecked.toBuilder().naturalShare(0, 0.985).build();
        assertEquals(ScanReport.Verdict.CLEAN, natural.verdict());
        assertEquals(1, natural.notes().size(), natural.notes().toString());
        assertTrue(natural.notes().get(0).startsWith("Label 0's trigger (L1 12.00) is under half the median L1 (35.20)"),
                natural.notes().get(0));
        // The size guard used before the benchmark (half the median) would have called this clean model infected.
        assertEquals(List.of(0), List.copyOf(new FlagRule("guard0.5", 2, 2, 0, 0.5, 0.5).flag(natural.labels())
                .keySet()));
    }

    @Test
    void modelWithoutAnOutlierIsClean() {
        ScanReport report = ScanReport.builder("clean.onnx", ScanFixtures.SHA, 4)
                .results(List.of(LabelResult.converged(0, 50, 1, 10, 1), LabelResult.converged(1, 47, 1, 10, 1),
                        LabelResult.converged(2, 53, 1, 10, 1), LabelResult.converged(3, 49, 1, 10, 1)))
                .build();
        assertEquals(ScanReport.Verdict.CLEAN, report.verdict());
        assertTrue(report.flagged().isEmpty());
        // Default total time is the sum over labels.
        assertEquals(4.0, report.seconds(), 0.0);
    }

    @Test
    void partialScanIsIncompleteAndKnowsWhatIsMissing() {
        ScanReport report = ScanReport.builder("m.onnx", ScanFixtures.SHA, 6)
                .result(LabelResult.converged(1, 10, 1, 5, 1))
                .result(LabelResult.converged(4, 12, 1, 5, 1))
                .result(LabelResult.converged(2, 11, 1, 5, 1))
                .build();
        assertFalse(report.complete());
        assertEquals(List.of(0, 3, 5), report.missingLabels());
        assertEquals(List.of(1, 2, 4), report.labels().stream().map(LabelResult::label).toList());
    }

    @Test
    void aLaterResultForTheSameLabelReplacesTheEarlierOne() {
        ScanReport report = ScanReport.builder("m.onnx", ScanFixtures.SHA, 1)
                .result(LabelResult.notConverged(0, 0.5, 1000, 3))
                .result(LabelResult.converged(0, 20, 0.995, 400, 2))
                .build();
        assertEquals(1, report.labels().size());
        assertEquals(20.0, report.labels().get(0).l1(), 0.0);
    }

    @Test
    void rejectsLabelsOutsideTheModel() {
        ScanReport.Builder builder = ScanReport.builder("m.onnx", ScanFixtures.SHA, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> builder.result(LabelResult.converged(3, 1, 1, 1, 1)));
        assertTrue(e.getMessage().contains("3 labels"), e.getMessage());
    }

    @Test
    void rejectsABadSha256AndMismatchedClassNames() {
        assertThrows(IllegalArgumentException.class, () -> ScanReport.builder("m.onnx", "ABC", 2).build());
        assertThrows(IllegalArgumentException.class,
                () -> ScanReport.builder("m.onnx", ScanFixtures.SHA, 2).classNames(List.of("only one")).build());
    }

    @Test
    void scanJsonHasTheDocumentedShape() throws Exception {
        Path file = dir.resolve("scan.json");
        ScanFixtures.tenLabelReport().write(file);
        JsonNode json = Json.MAPPER.readTree(file.toFile());
        for (String field : List.of("formatVersion", "model", "modelSha256", "labelCount", "labels", "median", "mad",
                "flagged", "verdict", "maxAnomalyIndex", "seconds", "complete", "config", "seed", "createdAt",
                "versions")) {
            assertTrue(json.has(field), "scan.json lacks " + field + ": " + json);
        }
        assertEquals("infected", json.get("verdict").asText());
        assertEquals("badnets-mnist.onnx", json.get("model").asText());
        assertEquals(4, json.get("flagged").get(0).asInt());
        assertEquals(10, json.get("labels").size());
        JsonNode label9 = json.get("labels").get(9);
        assertTrue(label9.get("l1").isNull());
        assertFalse(label9.get("converged").asBoolean());
        JsonNode label4 = json.get("labels").get(4);
        for (String field : List.of("label", "l1", "attackSuccess", "steps", "seconds", "anomalyIndex", "converged")) {
            assertTrue(label4.has(field), "label result lacks " + field + ": " + label4);
        }
        assertEquals(42, json.get("seed").asLong());
        assertEquals(1000, json.get("config").get("steps").asInt());
        assertNotNull(Instant.parse(json.get("createdAt").asText()));
        assertTrue(json.get("versions").has("ncguard"));
        assertTrue(json.get("versions").has("java"));
    }

    @Test
    void readGivesBackWhatWasWritten() throws Exception {
        ScanReport report = ScanFixtures.tenLabelReport();
        Path file = dir.resolve("scan.json");
        report.write(file);
        assertEquals(report, ScanReport.read(file));
    }

    @Test
    void aReportJudgedByAnEarlierRuleIsReadWithTheCurrentVerdict() throws Exception {
        ScanReport report = ScanFixtures.tenLabelReport();
        Path file = dir.resolve("scan.json");
        report.write(file);
        // As an earlier rule might have written it: the same figures, nothing flagged.
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode json = (ObjectNode) mapper.readTree(file.toFile());
        String infected = json.get("verdict").asText();
        json.putArray("flagged");
        json.putObject("reasons");
        json.put("verdict", infected.equals("INFECTED") ? "CLEAN" : "clean");
        mapper.writeValue(file.toFile(), json);

        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(ScanReport.class);
        ListAppender<ILoggingEvent> warnings = new ListAppender<>();
        warnings.start();
        log.addAppender(warnings);
        ScanReport read;
        try {
            read = ScanReport.read(file);
            ScanReport.read(file);
        } finally {
            log.detachAppender(warnings);
        }
        assertEquals(List.of(4), read.flagged());
        assertEquals(ScanReport.Verdict.INFECTED, read.verdict());
        assertEquals(report.reasons(), read.reasons());
        assertEquals(report, read);
        assertEquals(1, warnings.list.size(), "a file judged by an earlier rule is warned about once per run");
        assertTrue(warnings.list.get(0).getFormattedMessage().contains("earlier rule"));
    }

    @Test
    void configRecordsAreStoredAsTheirJsonForm() throws Exception {
        record Settings(int steps, double lr, List<Integer> labels) {
        }
        ScanReport report = ScanReport.builder("m.onnx", ScanFixtures.SHA, 1)
                .result(LabelResult.converged(0, 1, 1, 1, 1))
                .config(new Settings(500, 0.1, List.of(0, 3)))
                .build();
        assertEquals(Map.of("steps", 500, "lr", 0.1, "labels", List.of(0, 3)), report.config());
        Path file = dir.resolve("scan.json");
        report.write(file);
        assertEquals(report, ScanReport.read(file));
    }

    @Test
    void toBuilderRebuildsTheSameReport() {
        ScanReport report = ScanFixtures.tenLabelReport();
        assertEquals(report, report.toBuilder().build());
    }

    @Test
    void resumingAddsTheMissingLabels() throws Exception {
        List<LabelResult> all = ScanFixtures.tenResults();
        ScanReport partial = ScanReport.builder("m.onnx", ScanFixtures.SHA, 10).results(all.subList(0, 6)).build();
        Path file = dir.resolve("scan.json");
        partial.write(file);
        ScanReport resumed = ScanReport.read(file);
        ScanReport.Builder builder = resumed.toBuilder();
        for (int label : resumed.missingLabels()) {
            builder.result(all.get(label));
        }
        ScanReport done = builder.build();
        assertTrue(done.complete());
        assertEquals(List.of(4), done.flagged());
    }

    @Test
    void rewritingLeavesOnlyTheReportInTheDirectory() throws Exception {
        Path file = dir.resolve("scan.json");
        ScanReport report = ScanFixtures.tenLabelReport();
        report.write(file);
        report.toBuilder().seed(7).build().write(file);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
        assertEquals(7, ScanReport.read(file).seed());
    }

    @Test
    void zeroMadStillWritesFiniteNumbers() throws Exception {
        ScanReport report = ScanReport.builder("m.onnx", ScanFixtures.SHA, 5)
                .results(List.of(LabelResult.converged(0, 10, 1, 1, 1), LabelResult.converged(1, 10, 1, 1, 1),
                        LabelResult.converged(2, 10, 1, 1, 1), LabelResult.converged(3, 10, 1, 1, 1),
                        LabelResult.converged(4, 2, 1, 1, 1)))
                .build();
        Path file = dir.resolve("scan.json");
        report.write(file);
        String text = Files.readString(file);
        assertFalse(text.contains("NaN") || text.contains("Infinity"), text);
        assertEquals(0.0, report.mad(), 0.0);
        assertEquals(List.of(4), report.flagged());
        assertEquals(report, ScanReport.read(file));
    }

    @Test
    void damagedFilesAreReportedByNameWithAWayOut() throws Exception {
        Path good = dir.resolve("good.json");
        ScanFixtures.tenLabelReport().write(good);
        byte[] bytes = Files.readAllBytes(good);
        String text = new String(bytes, StandardCharsets.UTF_8);

        List<String> damaged = new ArrayList<>();
        damaged.add(text.substring(0, text.length() / 2));               // cut off by a crash
        damaged.add("");                                                // empty
        damaged.add("null");                                            // JSON null
        damaged.add("\u0000\u0001garbage");                              // not JSON
        damaged.add(text.replace("\"flagged\" : [\n    4\n  ]", "\"flagged\" : [ ]")); // infected without a flag
        damaged.add(text.replace("\"modelSha256\" : \"", "\"modelSha256\" : \"x")); // bad checksum
        for (int i = 0; i < damaged.size(); i++) {
            assertFalse(damaged.get(i).equals(text), "case " + i + " did not change the file");
            Path file = dir.resolve("scan-" + i + ".json");
            Files.writeString(file, damaged.get(i));
            NcguardException e = assertThrows(NcguardException.class, () -> ScanReport.read(file), "case " + i);
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("delete it"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), "one-line message: " + e.getMessage());
        }
    }

    @Test
    void aNewerFormatIsRefused() throws Exception {
        Path file = dir.resolve("scan.json");
        ScanFixtures.tenLabelReport().write(file);
        Files.writeString(file, Files.readString(file).replace("\"formatVersion\" : 1", "\"formatVersion\" : 2"));
        NcguardException e = assertThrows(NcguardException.class, () -> ScanReport.read(file));
        assertTrue(e.getMessage().contains("format version 2"), e.getMessage());
    }

    @Test
    void aMissingFileSaysSo() {
        Path file = dir.resolve("nope.json");
        NcguardException e = assertThrows(NcguardException.class, () -> ScanReport.read(file));
        assertTrue(e.getMessage().contains("not found") && e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void writeFailureIsAUserError() throws Exception {
        Path blocker = dir.resolve("blocker");
        Files.writeString(blocker, "a file where a directory should be");
        NcguardException e = assertThrows(NcguardException.class,
                () -> ScanFixtures.tenLabelReport().write(blocker.resolve("scan.json")));
        assertTrue(e.getMessage().contains("scan.json"), e.getMessage());
    }
}
