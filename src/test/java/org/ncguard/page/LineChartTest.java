package org.ncguard.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class LineChartTest {

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void pointsMapLinearlyIntoThePlotAndKeepTheirOrder() throws Exception {
        String svg = new LineChart("t", "x", "y").xRange(0, 10).yRange(0, 1)
                .series("a <b>", new double[] {0, 5, 10}, new double[] {0, 0.5, 1}, false).svg();
        Document doc = parse(svg);
        Element line = (Element) doc.getElementsByTagName("polyline").item(0);
        assertEquals("a <b>", line.getAttribute("data-series"));
        String[] points = line.getAttribute("points").split(" ");
        assertEquals(3, points.length);
        double[] first = xy(points[0]);
        double[] middle = xy(points[1]);
        double[] last = xy(points[2]);
        assertEquals((first[0] + last[0]) / 2, middle[0], 0.01);
        assertEquals((first[1] + last[1]) / 2, middle[1], 0.01);
        assertTrue(last[1] < first[1], "y grows upwards");
        assertEquals(3, doc.getElementsByTagName("circle").getLength());
    }

    @Test
    void ticksNeverReadMinusZero() {
        String svg = new LineChart("t", "x", "y").series("s", new double[] {0, 1}, new double[] {0, 0.02}, true)
                .svg();
        assertFalse(svg.contains(">-0"), svg);
        assertTrue(svg.contains("stroke-dasharray=\"6 4\""), "dashed series");
    }

    @Test
    void legendWrapsInsteadOfRunningOffTheChart() throws Exception {
        LineChart chart = new LineChart("t", "x", "y");
        for (int i = 0; i < 4; i++) {
            chart.series("a rather long series name " + i, new double[] {0, 1}, new double[] {0, 1}, false);
        }
        Document doc = parse(chart.svg());
        var groups = doc.getElementsByTagName("g");
        double maxRight = 0;
        for (int i = 0; i < groups.getLength(); i++) {
            String t = ((Element) groups.item(i)).getAttribute("transform");
            double x = Double.parseDouble(t.substring(t.indexOf('(') + 1, t.indexOf(' ')));
            maxRight = Math.max(maxRight, x);
        }
        assertTrue(maxRight < LineChart.WIDTH - 200, "legend entries start inside the chart, last at " + maxRight);
    }

    @Test
    void refusesMismatchedSeries() {
        assertThrows(IllegalArgumentException.class,
                () -> new LineChart("t", "x", "y").series("s", new double[] {0, 1}, new double[] {0}, false));
    }

    private static double[] xy(String point) {
        String[] p = point.split(",");
        return new double[] {Double.parseDouble(p[0]), Double.parseDouble(p[1])};
    }
}
