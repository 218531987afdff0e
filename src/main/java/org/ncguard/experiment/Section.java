package org.ncguard.experiment;

import java.util.List;

/**
 * One part of the results page, in a form both the Markdown and the HTML writer render: paragraphs, tables, and PNG
 * figures.
 *
 * @param title      the heading
 * @param paragraphs text before the tables; inline Markdown ({@code **bold**}, {@code `code`}) only
 * @param tables     the tables
 * @param figures    the plots
 */
record Section(String title, List<String> paragraphs, List<Table> tables, List<Figure> figures) {

    Section {
        paragraphs = List.copyOf(paragraphs);
        tables = List.copyOf(tables);
        figures = List.copyOf(figures);
    }

    /**
     * A table: one header and rows of the same width.
     *
     * @param caption what the table shows
     */
    record Table(String caption, List<String> header, List<List<String>> rows) {

        Table {
            header = List.copyOf(header);
            rows = List.copyOf(rows);
            for (List<String> row : rows) {
                if (row.size() != header.size()) {
                    throw new IllegalArgumentException("a row of " + row.size() + " cells under a header of "
                            + header.size() + ": " + row);
                }
            }
        }
    }

    /**
     * A PNG plot.
     *
     * @param file    its file name in the results' figure folder
     * @param caption what it shows
     * @param png     the image
     */
    record Figure(String file, String caption, byte[] png) {

        static Figure plot(String file, String caption, PngPlot plot) {
            return new Figure(file, caption, plot.png());
        }
    }
}
