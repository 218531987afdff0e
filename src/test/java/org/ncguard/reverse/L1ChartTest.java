package org.ncguard.reverse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class L1ChartTest {

    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    static List<Element> elements(Document doc, String tag, String cssClass) {
        NodeList nodes = doc.getElementsByTagNameNS("*", tag);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            if (cssClass == null || List.of(e.getAttribute("class").split(" ")).contains(cssClass)) {
                out.add(e);
            }
        }
        return out;
    }

    private static double num(Element e, String attribute) {
        return Double.parseDouble(e.getAttribute(attribute));
    }

    @Test
    void oneBarPerLabelWithHeightsProportionalToL1() throws Exception {
        ScanReport report = ScanFixtures.tenLabelReport();
        Document doc = parse(L1Chart.svg(report));
        List<Element> bars = elements(doc, "rect", "bar");
        assertEquals(10, bars.size());
        Map<Integer, Element> byLabel = new HashMap<>();
        bars.forEach(b -> byLabel.put(Integer.parseInt(b.getAttribute("data-label")), b));
        // L1 of label 2 is 61, of label 1 is 48: heights in the same ratio; bars stand on the same baseline.
        double h2 = num(byLabel.get(2), "height");
        double h1 = num(byLabel.get(1), "height");
        assertEquals(61.0 / 48.0, h2 / h1, 0.01);
        assertEquals(num(byLabel.get(2), "y") + h2, num(byLabel.get(1), "y") + h1, 0.02);
        // Bars go left to right by label.
        assertTrue(num(byLabel.get(3), "x") > num(byLabel.get(2), "x"));
    }

    @Test
    void flaggedAndNotConvergedBarsAreDistinct() throws Exception {
        Document doc = parse(L1Chart.svg(ScanFixtures.tenLabelReport()));
        List<Element> flagged = elements(doc, "rect", "flagged");
        assertEquals(1, flagged.size());
        assertEquals("4", flagged.get(0).getAttribute("data-label"));
        assertEquals(L1Chart.FLAGGED, flagged.get(0).getAttribute("fill"));
        List<Element> notConverged = elements(doc, "rect", "not-converged");
        assertEquals(1, notConverged.size());
        assertEquals("9", notConverged.get(0).getAttribute("data-label"));
        for (Element bar : elements(doc, "rect", "bar")) {
            if (!bar.getAttribute("class").contains("flagged") && !bar.getAttribute("class").contains("not-conv")) {
                assertEquals(L1Chart.NORMAL, bar.getAttribute("fill"));
            }
        }
    }

    @Test
    void medianAndThresholdLinesSitAtTheirValues() throws Exception {
        ScanReport report = ScanFixtures.tenLabelReport();
        Document doc = parse(L1Chart.svg(report));
        Element median = elements(doc, "line", "median").get(0);
        Element threshold = elements(doc, "line", "threshold").get(0);
        // A bar of height h has its top at baseline - h; a line at value v is at baseline - v / L1 * h.
        Element label0 = elements(doc, "rect", "bar").get(0); // L1 52 = the median
        assertEquals(num(label0, "y"), num(median, "y1"), 0.02);
        double baseline = num(label0, "y") + num(label0, "height");
        double perUnit = num(label0, "height") / 52.0;
        assertEquals(baseline - 40.1392 * perUnit, num(threshold, "y1"), 0.02);
        assertTrue(num(threshold, "y1") > num(median, "y1"), "the threshold is below the median");
    }

    @Test
    void noThresholdLineWhenItWouldBeAtOrBelowZero() throws Exception {
        // 1 5 9: median 5, MAD 1.4826 * 4 = 5.93; 5 - 2 * 5.93 < 0.
        ScanReport report = ScanReport.builder("m.onnx", ScanFixtures.SHA, 3)
                .results(List.of(LabelResult.converged(0, 1, 1, 1, 1), LabelResult.converged(1, 5, 1, 1, 1),
                        LabelResult.converged(2, 9, 1, 1, 1)))
                .build();
        Document doc = parse(L1Chart.svg(report));
        assertEquals(1, elements(doc, "line", "median").size());
        assertTrue(elements(doc, "line", "threshold").isEmpty());
    }

    @Test
    void manyLabelsStillRead() throws Exception {
        List<LabelResult> results = new ArrayList<>();
        for (int label = 0; label < 1283; label++) {
            results.add(LabelResult.converged(label, 40 + (label * 37) % 23, 1, 1, 1));
        }
        ScanReport report = ScanReport.builder("faces.onnx", ScanFixtures.SHA, 1283).results(results).build();
        Document doc = parse(L1Chart.svg(report));
        List<Element> bars = elements(doc, "rect", "bar");
        assertEquals(1283, bars.size());
        bars.forEach(b -> assertTrue(num(b, "width") > 0.5));
        List<Element> ticks = elements(doc, "text", "xtick");
        assertTrue(ticks.size() >= 10 && ticks.size() <= 40, ticks.size() + " axis labels");
        assertEquals("0", ticks.get(0).getTextContent());
        // Labels are far enough apart not to overlap (numbers of 4 digits are about 30 units wide at 12px).
        assertTrue(num(ticks.get(1), "x") - num(ticks.get(0), "x") >= 40);
    }

    @Test
    void aFlaggedBarAmongThousandsStaysVisibleAndMarked() throws Exception {
        List<LabelResult> results = new ArrayList<>();
        for (int label = 0; label < 1283; label++) {
            results.add(LabelResult.converged(label, label == 700 ? 5 : 40 + (label * 37) % 23, 1, 1, 1));
        }
        ScanReport report = ScanReport.builder("faces.onnx", ScanFixtures.SHA, 1283).results(results).build();
        assertEquals(List.of(700), report.flagged());
        Document doc = parse(L1Chart.svg(report));
        Element flagged = elements(doc, "rect", "flagged").get(0);
        Element ordinary = elements(doc, "rect", "bar").get(0);
        assertTrue(num(ordinary, "width") < 1, "ordinary bars are narrow: " + num(ordinary, "width"));
        assertTrue(num(flagged, "width") >= 4, "flagged bar is widened: " + num(flagged, "width"));
        List<Element> markers = elements(doc, "text", "marker-label");
        assertEquals(1, markers.size());
        assertEquals("700", markers.get(0).getTextContent());
        assertEquals(1, elements(doc, "path", "marker").size());
    }

    @Test
    void noConvergedLabelStillDrawsAChart() throws Exception {
        ScanReport report = ScanReport.builder("m.onnx", ScanFixtures.SHA, 2)
                .results(List.of(LabelResult.notConverged(0, 0.3, 1000, 1), LabelResult.notConverged(1, 0.2, 10, 1)))
                .build();
        String svg = L1Chart.svg(report);
        assertFalse(svg.contains("NaN") || svg.contains("Infinity"), svg);
        assertEquals(2, elements(parse(svg), "rect", "not-converged").size());
    }
}
