package dev.infuse.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/** Draws chart.png: one panel per task, bars of the primary metric grouped by bucket, one colour per method. */
final class ReportChart {
    static {
        // Before any AWT class loads (the colour constants below do): java.awt.Color reads the headless flag once,
        // and a bench runs on servers without a display.
        System.setProperty("java.awt.headless", "true");
    }

    static final int WIDTH = 1200;
    private static final int PANEL_HEIGHT = 420;
    private static final int LEGEND_HEIGHT = 44;
    private static final int MAX_COLUMNS = 3;
    private static final Color INK = new Color(0x33, 0x33, 0x33);
    private static final Color GRID = new Color(0xE2, 0xE2, 0xE2);
    /** Tableau 10: distinguishable, also in greyscale print, for the handful of methods a bench compares. */
    private static final Color[] PALETTE = {new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759),
        new Color(0x76B7B2), new Color(0x59A14F), new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7),
        new Color(0x9C755F), new Color(0xBAB0AC)};

    private ReportChart() {}

    static BufferedImage draw(ReportData data) {
        List<String> tasks = data.tasks();
        int cols = Math.min(tasks.size(), MAX_COLUMNS);
        int rows = (tasks.size() + cols - 1) / cols;
        BufferedImage img = new BufferedImage(WIDTH, LEGEND_HEIGHT + rows * PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            legend(g, data.methods());
            int panelWidth = WIDTH / cols;
            for (int t = 0; t < tasks.size(); t++) {
                panel(g, data, tasks.get(t), (t % cols) * panelWidth, LEGEND_HEIGHT + (t / cols) * PANEL_HEIGHT, panelWidth);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /** One legend for all panels: a method keeps its colour everywhere, so repeating it per panel adds nothing. */
    private static void legend(Graphics2D g, List<String> methods) {
        g.setFont(new Font("SansSerif", Font.PLAIN, 14));
        FontMetrics fm = g.getFontMetrics();
        int x = 20;
        for (int i = 0; i < methods.size(); i++) {
            g.setColor(colour(i));
            g.fillRect(x, 16, 14, 14);
            g.setColor(INK);
            g.drawString(methods.get(i), x + 20, 16 + fm.getAscent() - 2);
            x += 20 + fm.stringWidth(methods.get(i)) + 28;
        }
    }

    private static void panel(Graphics2D g, ReportData data, String task, int x0, int y0, int width) {
        String metric = data.primary(task);
        List<String> buckets = data.buckets(task, metric);
        List<String> methods = data.methods();
        int left = x0 + 64, right = x0 + width - 16, top = y0 + 40, bottom = y0 + PANEL_HEIGHT - 52;

        double lo = 0, hi = 0;
        for (String b : buckets) {
            for (String m : methods) {
                ReportData.Cell c = data.cell(m, task, metric, b);
                if (c != null) {
                    // Only a negative mean moves the floor: an error bar below zero on a rate is clipped, not plotted.
                    lo = Math.min(lo, c.mean());
                    hi = Math.max(hi, c.mean() + c.sd());
                }
            }
        }
        double step = niceStep((hi - lo) / 5);
        lo = Math.floor(lo / step + 1e-9) * step;
        hi = Math.max(lo + step, Math.ceil(hi / step - 1e-9) * step);
        Axis y = new Axis(lo, hi, top, bottom);

        g.setFont(new Font("SansSerif", Font.BOLD, 15));
        g.setColor(INK);
        centred(g, task + ": " + metric, (left + right) / 2, y0 + 24);
        ticks(g, y, step, left, right);

        int group = (right - left) / Math.max(1, buckets.size());
        // Capped so that one task with two methods does not turn into two slabs filling the whole width.
        int bar = Math.max(2, Math.min(70, (int) (group * 0.8 / Math.max(1, methods.size()))));
        g.setFont(new Font("SansSerif", Font.PLAIN, 13));
        for (int b = 0; b < buckets.size(); b++) {
            int gx = left + b * group + (group - bar * methods.size()) / 2;
            for (int m = 0; m < methods.size(); m++) {
                ReportData.Cell c = data.cell(methods.get(m), task, metric, buckets.get(b));
                if (c != null) {
                    bar(g, y, c, gx + m * bar, bar, colour(m));
                }
            }
            g.setColor(INK);
            centred(g, buckets.get(b), left + b * group + group / 2, bottom + 20);
        }
        g.setColor(INK);
        g.drawLine(left, y.px(0), right, y.px(0));
        g.drawLine(left, top, left, bottom);
        centred(g, "bucket", (left + right) / 2, bottom + 42);
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2, x0 + 16, (top + bottom) / 2.0);
        centred(g, metric, x0 + 16, (top + bottom) / 2 + 5);
        g.setTransform(saved);
    }

    private static void bar(Graphics2D g, Axis y, ReportData.Cell c, int x, int width, Color colour) {
        int base = y.px(0), end = y.px(c.mean());
        g.setColor(colour);
        g.fillRect(x + 1, Math.min(base, end), Math.max(1, width - 2), Math.max(1, Math.abs(base - end)));
        if (c.n() > 1 && c.sd() > 0) {
            int mid = x + width / 2, cap = Math.max(2, width / 6);
            int up = y.px(c.mean() + c.sd()), down = Math.min(y.bottom(), y.px(c.mean() - c.sd()));
            g.setColor(INK);
            g.setStroke(new BasicStroke(1.2f));
            g.drawLine(mid, up, mid, down);
            g.drawLine(mid - cap, up, mid + cap, up);
            g.drawLine(mid - cap, down, mid + cap, down);
            g.setStroke(new BasicStroke(1f));
        }
    }

    private static void ticks(Graphics2D g, Axis y, double step, int left, int right) {
        g.setFont(new Font("SansSerif", Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
        for (double v = y.lo; v <= y.hi + step / 2; v += step) {
            int py = y.px(v);
            g.setColor(GRID);
            g.drawLine(left + 1, py, right, py);
            g.setColor(INK);
            g.drawLine(left - 4, py, left, py);
            String label = String.format(Locale.ROOT, "%." + decimals + "f", Math.abs(v) < step / 1e6 ? 0 : v);
            g.drawString(label, left - 8 - fm.stringWidth(label), py + fm.getAscent() / 2 - 1);
        }
    }

    /** 1, 2 or 5 times a power of ten, so tick labels stay short and round. */
    static double niceStep(double raw) {
        if (!(raw > 0)) {
            return 0.2;
        }
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / p;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
    }

    private static void centred(Graphics2D g, String s, int cx, int baseline) {
        g.drawString(s, cx - g.getFontMetrics().stringWidth(s) / 2, baseline);
    }

    private static Color colour(int i) {
        return PALETTE[i % PALETTE.length];
    }

    /** Maps a value to a pixel row between top and bottom. */
    private record Axis(double lo, double hi, int top, int bottom) {
        int px(double v) {
            return (int) Math.round(bottom - (v - lo) / (hi - lo) * (bottom - top));
        }
    }
}
