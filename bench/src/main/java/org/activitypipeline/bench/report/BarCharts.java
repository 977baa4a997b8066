package org.activitypipeline.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The look every {@code bench} chart shares (JFreeChart, headless): labelled bars on white, one
 * directory of PNGs of one size, the machine and run described under the title.
 */
public final class BarCharts {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 500;
  private static final Color[] PALETTE = {new Color(0x4e79a7), new Color(0xf28e2b), new Color(0x59a14f),
      new Color(0xe15759), new Color(0x76b7b2), new Color(0xedc948), new Color(0xb07aa1), new Color(0x9c755f)};

  private final Path dir;

  /** Charts written to {@code dir} (created if missing). */
  public BarCharts(Path dir) throws IOException {
    System.setProperty("java.awt.headless", "true");
    this.dir = Files.createDirectories(dir);
  }

  /**
   * A bar plot with each bar's value written on it; series take colours from {@code firstColour} on
   * (subplots of one chart must differ).
   */
  public static CategoryPlot plot(DefaultCategoryDataset d, ValueAxis range, String labelFormat, int firstColour) {
    BarRenderer r = new BarRenderer();
    r.setBarPainter(new StandardBarPainter());
    r.setShadowVisible(false);
    r.setItemMargin(0.05);
    r.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", new DecimalFormat(labelFormat)));
    r.setDefaultItemLabelsVisible(true);
    r.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
    for (int i = 0; i < PALETTE.length; i++) {
      r.setSeriesPaint(i, PALETTE[(firstColour + i) % PALETTE.length]);
    }
    range.setUpperMargin(0.12);
    CategoryAxis categories = new CategoryAxis();
    categories.setMaximumCategoryLabelLines(3);
    CategoryPlot plot = new CategoryPlot(d, categories, range, r);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlineStroke(new BasicStroke(0.5f));
    return plot;
  }

  /** Writes {@code plot} under {@code title} and {@code subtitle} as {@code name}; returns the file. */
  public Path save(String name, String title, Plot plot, String subtitle) throws IOException {
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    chart.addSubtitle(new TextTitle(subtitle, new Font(Font.SANS_SERIF, Font.PLAIN, 11)));
    File f = dir.resolve(name).toFile();
    ChartUtils.saveChartAsPNG(f, chart, WIDTH, HEIGHT);
    return f.toPath();
  }
}
