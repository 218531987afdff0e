package org.ncguard.reverse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportPageTest {

    @TempDir
    Path dir;

    static Map<Integer, ReversedTrigger> triggers(int count) {
        Map<Integer, ReversedTrigger> triggers = new TreeMap<>();
        for (int label = 0; label < count; label++) {
            triggers.put(label, ScanFixtures.trigger(label));
        }
        return triggers;
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    private static String svgOf(String html) {
        return html.substring(html.indexOf("<svg"), html.indexOf("</svg>") + "</svg>".length());
    }

    @Test
    void showsTheVerdictAndTheFlaggedLabel() {
        String html = ReportPage.render(ScanFixtures.tenLabelReport(), triggers(10));
        assertTrue(html.contains("<div class=\"big\">INFECTED</div>"), html);
        assertTrue(html.contains("label <strong>4</strong> is anomalously small"));
        assertTrue(html.contains("badnets-mnist.onnx"));
        assertTrue(html.contains(ScanFixtures.SHA));
        assertFalse(html.contains("id=\"incomplete\""));
    }

    @Test
    void cleanModelSaysClean() {
        ScanReport report = ScanReport.builder("clean.onnx", ScanFixtures.SHA, 3)
                .results(List.of(LabelResult.converged(0, 50, 1, 10, 1), LabelResult.converged(1, 47, 1, 10, 1),
                        LabelResult.converged(2, 53, 1, 10, 1)))
                .build();
        String html = ReportPage.render(report, Map.of());
        assertTrue(html.contains("<div class=\"big\">CLEAN</div>"));
        assertTrue(html.contains("the smallest, label 1's (L1 47.00), has an anomaly index of "), html);
        assertFalse(html.contains("INFECTED"));
        assertFalse(html.contains("class=\"bar flagged\""));
    }

    @Test
    void naturalFeatureOutlierIsShownButNotFlagged() {
        String html = ReportPage.render(ScanFixtures.moderateOutlierReport(0.9), triggers(10));
        assertTrue(html.contains("<div class=\"big\">CLEAN</div>"), html);
        assertTrue(html.contains("every anomalously small trigger is a natural feature"), html);
        String natural = html.substring(html.indexOf("<div id=\"natural\">"));
        assertTrue(natural.startsWith("<div id=\"natural\"><p>Not flagged, although anomalously small:</p>\n<ul>\n"
                + "<li>label 4: anomaly index 8.09, mask L1 40.00; 90% of the stamped images"), natural);
        assertTrue(html.contains("<td>4 <span class=\"tag natural\">natural</span></td>"), html);
        assertEquals(1, count(svgOf(html), "class=\"bar natural\""));
        assertFalse(html.contains("class=\"bar flagged\""));
        assertFalse(html.contains("<tr class=\"flagged\">"));

        String planted = ReportPage.render(ScanFixtures.moderateOutlierReport(0.07), triggers(10));
        assertTrue(planted.contains("<div class=\"big\">INFECTED</div>"), planted);
        assertTrue(planted.contains("<li>label 4: mask L1 40.00 against a median of 52.00; anomaly index 8.09 &gt; 2,"
                + " anomaly index on ln L1 "), planted);
        assertTrue(planted.contains("; natural share 7% &lt; 50%: not a natural feature</li>"), planted);
        assertFalse(planted.contains("id=\"natural\""));
    }

    @Test
    void earlyDetectionSaysSo() {
        ScanReport.Builder scan = ScanReport.builder("m.onnx", ScanFixtures.SHA, 3)
                .results(List.of(LabelResult.converged(0, 50, 1, 30, 1), LabelResult.converged(1, 47, 1, 30, 1)));
        assertFalse(ReportPage.render(scan.build(), Map.of()).contains("id=\"fast\""));
        String html = ReportPage.render(scan.config(Map.of("fastSteps", 30)).build(), Map.of());
        assertTrue(html.contains("a search of at most 30 steps"), html);
    }

    @Test
    void isSelfContained() {
        String html = ReportPage.render(ScanFixtures.tenLabelReport(), triggers(10));
        assertFalse(html.contains("<script"));
        assertFalse(html.contains("<link"));
        assertFalse(html.contains("@import"));
        // The only URL is the SVG namespace, which is a name, not something loaded.
        String withoutImages = html.replaceAll("data:image/png;base64,[A-Za-z0-9+/=]*", "data:");
        Matcher urls = Pattern.compile("(https?:|file:|//)[^\"' )]*").matcher(withoutImages);
        while (urls.find()) {
            assertEquals("http://www.w3.org/2000/svg", urls.group(), "external reference");
        }
        List<String> sources = new ArrayList<>();
        Matcher src = Pattern.compile("src=\"([^\"]*)\"").matcher(html);
        while (src.find()) {
            sources.add(src.group(1));
        }
        assertEquals(30, sources.size(), "three images for each of ten labels");
        sources.forEach(s -> assertTrue(s.startsWith("data:image/png;base64,"), s.substring(0, 30)));
    }

    @Test
    void escapesEverythingItQuotes() throws Exception {
        String evil = "<img src=x onerror=alert(1)>&\"'";
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            names.add(i == 4 ? "</td><script>x</script>" : "class " + i);
        }
        ScanReport report = ScanFixtures.tenLabelReport().toBuilder()
                .classNames(names)
                .config(Map.of("note", evil))
                .build();
        report = new ScanReport(report.formatVersion(), evil, report.modelSha256(), report.labelCount(),
                report.classNames(), report.labels(), report.median(), report.mad(), report.scale(),
                report.threshold(), report.flagBelowL1(), report.outliers(), report.flagged(), report.reasons(),
                report.verdict(),
                report.maxAnomalyIndex(), report.seconds(), report.complete(), report.notes(), report.config(),
                report.seed(), report.createdAt(), report.versions(), report.shard());
        String html = ReportPage.render(report, triggers(10));
        assertFalse(html.contains(evil));
        assertFalse(html.contains("<script>"));
        assertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt;&amp;&quot;&#39;"));
        assertTrue(html.contains("4 (&lt;/td&gt;&lt;script&gt;x&lt;/script&gt;)"));
        // Class names reach the chart's tooltips too, and it must stay well-formed XML.
        L1ChartTest.parse(svgOf(html));
    }

    @Test
    void labelsDefaultToTheirNumberAndUseClassNamesWhenGiven() {
        String plain = ReportPage.render(ScanFixtures.tenLabelReport(), Map.of());
        assertTrue(plain.contains("label 4: mask L1"));
        List<String> names = List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine");
        String named = ReportPage.render(ScanFixtures.tenLabelReport().toBuilder().classNames(names).build(),
                Map.of());
        assertTrue(named.contains("label 4 (four): mask L1"));
        assertTrue(named.contains("<td>four</td>"));
    }

    @Test
    void tableHasOneRowPerLabelWithTheFlaggedRowMarked() {
        String html = ReportPage.render(ScanFixtures.tenLabelReport(), Map.of());
        String table = html.substring(html.indexOf("<table class=\"labels\">"), html.indexOf("</table>"));
        assertEquals(10, count(table, "<tr") - 1, "rows besides the header");
        assertEquals(1, count(table, "<tr class=\"flagged\">"));
        assertEquals(1, count(table, "<tr class=\"not-converged\">"));
        assertTrue(table.contains("<td>4 <span class=\"tag\">flagged</span></td><td>9.00</td><td>7.25</td>"), table);
    }

    @Test
    void flaggedTriggersComeFirst() {
        String html = ReportPage.render(ScanFixtures.tenLabelReport(), triggers(10));
        int flagged = html.indexOf("id=\"trigger-4\"");
        assertTrue(flagged > 0);
        for (int label : List.of(0, 1, 2, 3, 5, 9)) {
            assertTrue(html.indexOf("id=\"trigger-" + label + "\"") > flagged, "label " + label);
        }
        assertTrue(html.indexOf("id=\"trigger-0\"") < html.indexOf("id=\"trigger-1\""), "then by label");
    }

    @Test
    void missingTriggersAreListed() {
        String html = ReportPage.render(ScanFixtures.tenLabelReport(), Map.of(4, ScanFixtures.trigger(4)));
        assertTrue(html.contains("No trigger stored for labels 0, 1, 2, 3, 5, 6, 7, 8, 9."), html);
    }

    @Test
    void incompleteScanSaysSo() {
        ScanReport partial = ScanReport.builder("m.onnx", ScanFixtures.SHA, 10)
                .results(ScanFixtures.tenResults().subList(0, 7)).build();
        String html = ReportPage.render(partial, Map.of());
        assertTrue(html.contains("id=\"incomplete\""));
        assertTrue(html.contains("7 of 10 labels have results (missing: 7, 8, 9)"));
    }

    @Test
    void writesReportHtmlFromTheScanDirectory() throws Exception {
        ScanFiles files = new ScanFiles(dir);
        TriggerStore store = new TriggerStore(files);
        store.save(ScanFixtures.trigger(4));
        store.save(ScanFixtures.trigger(0));
        ReportPage.write(files, ScanFixtures.tenLabelReport());
        String html = Files.readString(files.reportHtml());
        assertEquals(6, count(html, "src=\"data:image/png;base64,"));
        assertTrue(html.endsWith("</html>\n"));
    }
}
