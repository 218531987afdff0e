/**
 * The small toolkit ncguard's HTML pages share (scan report, profile, pruning curve): the document frame, escaping,
 * axis ticks and an SVG line chart. Pages are self-contained and run no script.
 */
package org.ncguard.page;
