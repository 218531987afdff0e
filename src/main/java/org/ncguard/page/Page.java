package org.ncguard.page;

/**
 * The frame every ncguard page shares: one self-contained HTML document (inline CSS and SVG, images as data URIs, no
 * script), so a report can be mailed or archived as it is. Pages add their own rules after the common ones.
 */
public final class Page {

    /** Rules every page uses: type, headings, the verdict box, notes, charts, tables, provenance. */
    private static final String BASE_CSS = """
            body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
                   color: #1a1a1a; background: #ffffff; max-width: 1100px; margin: 0 auto; padding: 16px 24px 48px; }
            h1 { font-size: 1.5em; margin: 0.4em 0 0.1em; word-break: break-word; }
            h2 { font-size: 1.2em; margin: 1.6em 0 0.4em; }
            .sha code { font-size: 0.9em; word-break: break-all; color: #444444; }
            .verdict { border-radius: 8px; padding: 12px 20px; margin: 16px 0; }
            .verdict.infected { background: #fdecea; border: 2px solid #a50f15; }
            .verdict.clean { background: #e8f5e9; border: 2px solid #2e7d32; }
            .verdict .big { font-size: 3em; font-weight: 800; letter-spacing: 0.04em; }
            .verdict.infected .big { color: #a50f15; }
            .verdict.clean .big { color: #2e7d32; }
            .verdict p, .verdict ul { margin: 0.4em 0; }
            .stats { color: #444444; font-size: 0.9em; }
            .note { background: #fff8e1; border-left: 4px solid #f9a825; padding: 8px 12px; }
            .hint { color: #555555; font-size: 0.9em; }
            svg.chart { width: 100%; height: auto; display: block; font-size: 12px; }
            svg.chart text { fill: #333333; }
            svg.chart .axis-title { font-size: 13px; }
            table { border-collapse: collapse; font-size: 0.9em; }
            footer { margin-top: 2em; color: #444444; }
            table.kv th { text-align: left; padding: 2px 12px 2px 0; font-weight: 600; vertical-align: top; }
            table.kv td { padding: 2px 0; word-break: break-all; font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
            """;

    private Page() {
    }

    /**
     * The whole document.
     *
     * @param title plain text for the browser tab (escaped here)
     * @param css   the page's own rules, after the common ones
     * @param body  the body's HTML
     */
    public static String document(String title, String css, CharSequence body) {
        return new StringBuilder(body.length() + BASE_CSS.length() + css.length() + 512)
                .append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(Html.escape(title)).append("</title>\n<style>\n").append(BASE_CSS)
                .append(css).append("</style>\n</head>\n<body>\n").append(body).append("</body>\n</html>\n")
                .toString();
    }
}
