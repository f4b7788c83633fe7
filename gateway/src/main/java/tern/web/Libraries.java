package tern.web;

import java.util.Map;

/**
 * The page's front-end libraries: each URL the page asks for, and the file in the library's jar
 * (web-ui depends on them). The versions here and the parent pom's must agree; PageFilesTest checks
 * that every file is there.
 */
final class Libraries {
  static final String UPLOT = "1.6.30";
  static final String HTM = "3.1.1";

  private Libraries() { }

  /** URL under /assets/lib/ to classpath resource. */
  static final Map<String, String> FILES = Map.of(
      "uPlot.iife.min.js", "META-INF/resources/webjars/uplot/" + UPLOT + "/dist/uPlot.iife.min.js",
      "uPlot.min.css", "META-INF/resources/webjars/uplot/" + UPLOT + "/dist/uPlot.min.css",
      // htm bound to Preact, in one ES module: the page imports it without an import map (no inline script)
      "preact-htm.js", "META-INF/resources/_static/htm/" + HTM + "/preact/standalone.module.js");
}
