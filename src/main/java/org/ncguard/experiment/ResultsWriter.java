package org.ncguard.experiment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ncguard.AtomicFiles;
import org.ncguard.NcguardException;
import org.ncguard.engine.Versions;
import org.ncguard.page.Html;
import org.ncguard.page.Page;

/**
 * Writes the results: {@code results.md}, {@code results.html} beside it (self-contained, plots inline) and the plots
 * as PNG files in {@code results/}, each file whole or not at all.
 */
final class ResultsWriter {

    static final String MARKDOWN = "results.md";
    static final String HTML = "results.html";
    static final String FIGURES = "results";

    private final ExperimentSettings settings;
    private final String command;

    ResultsWriter(ExperimentSettings settings, String command) {
        this.settings = settings;
        this.command = command;
    }

    /** Every section of the page, in order. */
    List<Section> sections(Runs.Outcome o) throws NcguardException {
        List<Section> sections = new ArrayList<>();
        sections.add(provenance(o));
        if (!o.tasks().isEmpty()) {
            sections.add(AttackTable.section(o));
            sections.add(DetectionFigure.section(o));
            sections.add(TriggerFigure.section(o));
            sections.add(FilterFigure.section(o));
            sections.add(PruningFigure.section(o));
            sections.add(UnlearningTable.section(o));
            sections.add(notes(o));
        }
        if (!o.scaling().isEmpty()) {
            sections.add(ScalingFigure.section(o));
        }
        if (!o.tasks().isEmpty()) {
            sections.add(FailureCases.section(o));
        }
        sections.add(PaperNumbers.section(o));
        return sections;
    }

    void write(Runs.Outcome o) throws NcguardException {
        List<Section> sections = sections(o);
        Path dir = settings.results();
        try {
            for (Section s : sections) {
                for (Section.Figure f : s.figures()) {
                    AtomicFiles.write(dir.resolve(FIGURES).resolve(f.file()), f.png());
                }
            }
            AtomicFiles.write(dir.resolve(MARKDOWN), markdown(sections).getBytes(StandardCharsets.UTF_8));
            AtomicFiles.write(dir.resolve(HTML), html(sections).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new NcguardException("cannot write the results into " + dir + ": " + e.getMessage(), e);
        }
    }

    private Section provenance(Runs.Outcome o) {
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, Object> e : settings.describe().entrySet()) {
            rows.add(List.of(e.getKey(), String.valueOf(e.getValue())));
        }
        rows.add(List.of("ncguard", Versions.ncguard()));
        return new Section("Neural Cleanse, reproduced", List.of(
                "Every figure on this page comes from this command, run on this repository's code (steps an earlier "
                        + "invocation finished on the same output folder are read back with `--resume`, not redone):",
                "`" + command + "`",
                String.format(Locale.ROOT, "Wall time: %s over %d invocation(s) of the command on its output folder "
                        + "(listed below); the steps' own recorded time: %s. Machine: %s.",
                        Plan.elapsed((long) (o.wallSeconds() * 1e9)), o.invocations().size(),
                        Plan.elapsed((long) (o.stepSeconds() * 1e9)), o.machine()),
                "Where a figure has several seeds it shows the mean ± the sample standard deviation over scan seeds; "
                        + "each task's models are trained once (seed " + Tasks.TRAIN_SEED + ")."),
                List.of(new Section.Table("Configuration", List.of("setting", "value"), rows),
                        new Section.Table("Invocations", List.of("started (UTC)", "command", "wall time", "steps",
                                "read back"), o.invocations().stream().map(i -> List.of(i.started(),
                                "`" + i.command() + "`", Plan.elapsed((long) (i.wallSeconds() * 1e9)),
                                Integer.toString(i.steps()), Long.toString(i.readBack()))).toList())), List.of());
    }

    private static Section notes(Runs.Outcome o) {
        List<List<String>> rows = new ArrayList<>();
        for (Runs.TaskRun t : o.tasks()) {
            for (Runs.SeedRun s : t.seeds()) {
                for (String n : s.notes()) {
                    rows.add(List.of(t.task().id(), Long.toString(s.seed()), n));
                }
            }
        }
        return new Section("Steps not measured", List.of(rows.isEmpty() ? "Every step was measured." : "Figures "
                + "missing above, and why."), rows.isEmpty() ? List.of() : List.of(new Section.Table("Not measured",
                List.of("task", "seed", "why"), rows)), List.of());
    }

    static String markdown(List<Section> sections) {
        StringBuilder md = new StringBuilder();
        for (int i = 0; i < sections.size(); i++) {
            Section s = sections.get(i);
            md.append(i == 0 ? "# " : "## ").append(s.title()).append("\n\n");
            for (String p : s.paragraphs()) {
                md.append(p).append("\n\n");
            }
            for (Section.Table t : s.tables()) {
                md.append("*").append(t.caption()).append("*\n\n");
                md.append("| ").append(String.join(" | ", t.header())).append(" |\n|");
                md.append("---|".repeat(t.header().size())).append('\n');
                for (List<String> row : t.rows()) {
                    md.append("| ").append(String.join(" | ", row.stream().map(c -> c.replace("|", "\\|"))
                            .toList())).append(" |\n");
                }
                md.append('\n');
            }
            for (Section.Figure f : s.figures()) {
                md.append("![").append(f.caption()).append("](").append(FIGURES).append('/').append(f.file())
                        .append(")\n\n*").append(f.caption()).append("*\n\n");
            }
        }
        return md.toString();
    }

    static String html(List<Section> sections) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < sections.size(); i++) {
            Section s = sections.get(i);
            String h = i == 0 ? "h1" : "h2";
            b.append('<').append(h).append('>').append(Html.escape(s.title())).append("</").append(h).append(">\n");
            for (String p : s.paragraphs()) {
                b.append("<p>").append(inline(p)).append("</p>\n");
            }
            for (Section.Table t : s.tables()) {
                b.append("<table class=\"results\">\n<caption>").append(Html.escape(t.caption()))
                        .append("</caption>\n<tr>");
                t.header().forEach(c -> b.append("<th>").append(Html.escape(c)).append("</th>"));
                b.append("</tr>\n");
                for (List<String> row : t.rows()) {
                    b.append("<tr>");
                    row.forEach(c -> b.append("<td>").append(inline(c)).append("</td>"));
                    b.append("</tr>\n");
                }
                b.append("</table>\n");
            }
            for (Section.Figure f : s.figures()) {
                b.append("<figure><img alt=\"").append(Html.escape(f.caption())).append("\" src=\"data:image/png;base64,")
                        .append(Base64.getEncoder().encodeToString(f.png())).append("\"><figcaption>")
                        .append(Html.escape(f.caption())).append("</figcaption></figure>\n");
            }
        }
        return Page.document("ncguard: Neural Cleanse reproduced", """
                table.results { margin: 0.6em 0 1.2em; }
                table.results caption { text-align: left; font-style: italic; padding-bottom: 4px; }
                table.results th, table.results td { border: 1px solid #cccccc; padding: 3px 8px; text-align: left; }
                figure img { max-width: 100%; }
                """, b);
    }

    /** The inline Markdown the sections use, escaped: {@code **bold**} and {@code `code`}. */
    static String inline(String text) {
        return Html.escape(text).replaceAll("\\*\\*(.+?)\\*\\*", "<strong>$1</strong>")
                .replaceAll("`(.+?)`", "<code>$1</code>");
    }
}
