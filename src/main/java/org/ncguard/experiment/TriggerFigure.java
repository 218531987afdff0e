package org.ncguard.experiment;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ncguard.NcguardException;
import org.ncguard.data.Trigger;
import org.ncguard.engine.ImageShape;
import org.ncguard.engine.Layout;
import org.ncguard.reverse.ReversedTrigger;
import org.ncguard.reverse.ScanFiles;
import org.ncguard.reverse.TriggerImages;
import org.ncguard.reverse.TriggerStore;

/** Fig. 4: the real trigger beside the trigger Neural Cleanse reversed for the target (seed 1), with their L1 norms. */
final class TriggerFigure {

    private static final int CAPTION = 36;

    private TriggerFigure() {
    }

    static Section section(Runs.Outcome o) throws NcguardException {
        List<Section.Figure> figures = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        for (Runs.TaskRun t : o.tasks()) {
            Runs.SeedRun first = t.seeds().get(0);
            var reversed = new TriggerStore(new ScanFiles(first.infectedDir())).load(t.task().target());
            if (reversed.isEmpty()) {
                rows.add(List.of(t.task().id(), "-", "not found (the target's search did not converge)"));
                continue;
            }
            ReversedTrigger r = reversed.get();
            Trigger real = t.task().trigger().build(new ImageShape(r.channels(), r.height(), r.width(), Layout.NCHW));
            ReversedTrigger realAsImage = new ReversedTrigger(t.task().target(), r.channels(), r.height(), r.width(),
                    real.mask(), real.pattern());
            double realL1 = real.maskL1();
            double reversedL1 = r.l1();
            rows.add(List.of(t.task().id(), String.format(Locale.ROOT, "%.1f", realL1),
                    String.format(Locale.ROOT, "%.1f", reversedL1)));
            figures.add(new Section.Figure("fig4-triggers-" + t.task().id() + ".png", String.format(Locale.ROOT,
                    "Fig. 4, %s: the real trigger (L1 %.1f) and the reversed one for label %d (L1 %.1f, scan seed 1),"
                            + " mask times pattern", t.task().title(), realL1, t.task().target(), reversedL1),
                    TriggerImages.png(sideBySide(TriggerImages.trigger(realAsImage), TriggerImages.trigger(r),
                            String.format(Locale.ROOT, "real, L1 %.1f", realL1),
                            String.format(Locale.ROOT, "reversed, L1 %.1f", reversedL1)))));
        }
        return new Section("Fig. 4: real and reversed triggers", List.of("The trigger planted in each infected model "
                + "and the smallest trigger the scan found for the target label; the L1 norm is the mask's."),
                List.of(new Section.Table("Trigger sizes", List.of("task", "real trigger's L1", "reversed trigger's L1"),
                        rows)), figures);
    }

    private static BufferedImage sideBySide(BufferedImage left, BufferedImage right, String leftText,
            String rightText) {
        int gap = 16;
        int w = left.getWidth() + right.getWidth() + 3 * gap;
        int h = Math.max(left.getHeight(), right.getHeight()) + CAPTION + gap;
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.drawImage(left, gap, gap, null);
            g.drawImage(right, 2 * gap + left.getWidth(), gap, null);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            g.drawString(leftText, gap, h - 12);
            g.drawString(rightText, 2 * gap + left.getWidth(), h - 12);
        } finally {
            g.dispose();
        }
        return out;
    }
}
