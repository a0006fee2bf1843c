/*
 * timeline_svg.c: the timeline as a hand-written SVG chart: one row per
 * partition, one coloured bar per ownership interval, a shaded band and
 * a dashed marker per episode, a wall-clock axis and a legend of members.
 *
 * Every bar is <rect class="own" data-partition=".." data-member="..">
 * with a <title> tooltip, so tests and scripts can count and read them.
 *
 * Main thread only.
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "timeline.h"

#define SVG_PLOT_W	900	/* px of time axis */
#define SVG_TOP		78	/* px above the first row */
#define SVG_ROW_H	24
#define SVG_BAR_H	16
#define SVG_CHAR_W	7	/* rough width of a 12px sans-serif glyph */

static const char *const svg_palette[] = {
	"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
	"#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
};

/* Tick spacings in seconds, the first giving at most ten ticks wins. */
static const int svg_steps[] = {
	1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200,
	10800, 21600, 43200, 86400,
};

struct svg {
	const struct timeline	*tl;
	FILE			*fp;
	int			 left;	/* x of the time axis origin */
	int			 width;
	int			 bottom;	/* y below the last row */
};

/* Write s with XML's special characters and forbidden bytes escaped. */
static void
svg_text(FILE *fp, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	for (; *u != '\0'; u++) {
		if (*u == '&')
			fputs("&amp;", fp);
		else if (*u == '<')
			fputs("&lt;", fp);
		else if (*u == '>')
			fputs("&gt;", fp);
		else if (*u == '"')
			fputs("&quot;", fp);
		else if (*u == '\'')
			fputs("&apos;", fp);
		else if (*u < 0x20 || *u == 0x7f)
			fputc('?', fp);
		else if (u[0] == 0xef && u[1] == 0xbf &&
		    (u[2] == 0xbe || u[2] == 0xbf)) {
			fputc('?', fp);	/* U+FFFE, U+FFFF: not XML */
			u += 2;
		} else
			fputc(*u, fp);
	}
}

/* The x coordinate of time t. */
static double
svg_x(const struct svg *g, int64_t t)
{
	int64_t span = g->tl->view_end - g->tl->view_start;

	if (span <= 0)
		span = 1;
	return g->left + (double)(t - g->tl->view_start) * SVG_PLOT_W / span;
}

/* Write the title lines. */
static void
svg_title(const struct svg *g)
{
	const struct timeline *tl = g->tl;
	char from[32], to[32];

	log_format_time(from, tl->view_start);
	log_format_time(to, tl->view_end);
	fprintf(g->fp, "<text class=\"title\" x=\"16\" y=\"26\">Partition "
	    "ownership: group ");
	svg_text(g->fp, tl->groups != NULL && *tl->groups != '\0' ?
	    tl->groups : "(unknown)");
	fprintf(g->fp, ", %s</text>\n", timeline_protocol_name(tl->protocols));
	fprintf(g->fp, "<text class=\"sub\" x=\"16\" y=\"46\">%s to %s (UTC), "
	    "%zu episode%s; bars reaching the right edge are still open"
	    "</text>\n", from, to, tl->nepisodes,
	    tl->nepisodes == 1 ? "" : "s");
}

/* Shade each episode and mark its start with a numbered dashed line. */
static void
svg_episodes(const struct svg *g)
{
	const struct timeline_episode *ep;
	double x0, x1;
	size_t i;

	for (i = 0; i < g->tl->nepisodes; i++) {
		ep = &g->tl->episodes[i];
		x0 = svg_x(g, ep->start);
		x1 = svg_x(g, ep->end);
		fprintf(g->fp, "<rect class=\"episode\" x=\"%.1f\" y=\"%d\" "
		    "width=\"%.1f\" height=\"%d\"><title>episode %zu: ",
		    x0, SVG_TOP - 6, x1 - x0 < 1 ? 1 : x1 - x0,
		    g->bottom - SVG_TOP + 6, i + 1);
		svg_text(g->fp, ep->trigger);
		fprintf(g->fp, "</title></rect>\n<line class=\"marker\" "
		    "x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>\n<text "
		    "class=\"ep\" x=\"%.1f\" y=\"%d\">#%zu</text>\n", x0,
		    SVG_TOP - 14, x0, g->bottom, x0, SVG_TOP - 17, i + 1);
	}
}

/* One row per partition: a label and, every other row, a stripe. */
static void
svg_stripes(const struct svg *g)
{
	size_t i;
	int y;

	for (i = 0; i < g->tl->nparts; i++) {
		y = SVG_TOP + (int)i * SVG_ROW_H;
		if (i % 2 == 0)
			fprintf(g->fp, "<rect class=\"stripe\" x=\"%d\" "
			    "y=\"%d\" width=\"%d\" height=\"%d\"/>\n", g->left,
			    y, SVG_PLOT_W, SVG_ROW_H);
		fprintf(g->fp, "<text class=\"part\" x=\"%d\" y=\"%d\">",
		    g->left - 8, y + SVG_ROW_H / 2 + 4);
		svg_text(g->fp, g->tl->parts[i].label);
		fprintf(g->fp, "</text>\n");
	}
}

/* One bar per ownership interval, coloured by member, with a tooltip. */
static void
svg_bars(const struct svg *g)
{
	const struct timeline *tl = g->tl;
	const struct timeline_interval *iv;
	const struct timeline_member *m;
	char from[16], to[16];
	double x0, x1;
	size_t i;
	int y;

	for (i = 0; i < tl->nintervals; i++) {
		iv = &tl->intervals[i];
		m = &tl->members[iv->member];
		y = SVG_TOP + (int)iv->part * SVG_ROW_H +
		    (SVG_ROW_H - SVG_BAR_H) / 2;
		x0 = svg_x(g, iv->from);
		x1 = svg_x(g, iv->to);
		timeline_format_clock(from, iv->from);
		timeline_format_clock(to, iv->to);
		fprintf(g->fp, "<rect class=\"own%s\" x=\"%.1f\" y=\"%d\" "
		    "width=\"%.1f\" height=\"%d\" fill=\"%s\" "
		    "data-partition=\"", iv->open ? "\" data-open=\"true" : "",
		    x0, y, x1 - x0 < 1 ? 1 : x1 - x0, SVG_BAR_H,
		    svg_palette[m->colour % 10]);
		svg_text(g->fp, tl->parts[iv->part].label);
		fprintf(g->fp, "\" data-member=\"");
		svg_text(g->fp, m->label);
		fprintf(g->fp, "\"><title>");
		svg_text(g->fp, m->label);
		fprintf(g->fp, " owns ");
		svg_text(g->fp, tl->parts[iv->part].label);
		fprintf(g->fp, " from %s to %s (%lld ms)%s</title></rect>\n",
		    from, to, (long long)(iv->to - iv->from), iv->open ?
		    ", still open at the end of the logs" : iv->vanished ?
		    ", then the member disappeared" : "");
	}
}

/* The time axis with HH:MM:SS ticks. */
static void
svg_axis(const struct svg *g)
{
	int64_t span = g->tl->view_end - g->tl->view_start, step, t;
	char clock[16];
	size_t i;
	int y = g->bottom + 4, drawn = 0;

	step = svg_steps[sizeof svg_steps / sizeof *svg_steps - 1];
	for (i = 0; i < sizeof svg_steps / sizeof *svg_steps; i++)
		if (span / 1000 / svg_steps[i] <= 10) {
			step = svg_steps[i];
			break;
		}
	step *= 1000;
	fprintf(g->fp, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
	    "y2=\"%d\"/>\n", g->left, y, g->left + SVG_PLOT_W, y);
	t = g->tl->view_start + (step - g->tl->view_start % step) % step;
	for (; t <= g->tl->view_end || drawn == 0; t += step) {
		if (t > g->tl->view_end)
			t = g->tl->view_start;
		timeline_format_clock(clock, t);
		clock[8] = '\0';
		fprintf(g->fp, "<line class=\"axis\" x1=\"%.1f\" y1=\"%d\" "
		    "x2=\"%.1f\" y2=\"%d\"/>\n<text class=\"tick\" x=\"%.1f\" "
		    "y=\"%d\">%s</text>\n", svg_x(g, t), y, svg_x(g, t), y + 5,
		    svg_x(g, t), y + 18, clock);
		drawn++;
	}
}

/* The legend: one swatch per member that owned anything; its height. */
static int
svg_legend(const struct svg *g, bool draw)
{
	const struct timeline_member *m;
	int x = 16, y = g->bottom + 44, w;
	size_t i;

	for (i = 0; i < g->tl->nmembers; i++) {
		m = &g->tl->members[i];
		if (m->colour < 0)
			continue;
		w = 24 + SVG_CHAR_W * (int)strlen(m->label) + 16;
		if (x > 16 && x + w > g->width - 16) {
			x = 16;
			y += 20;
		}
		if (draw) {
			fprintf(g->fp, "<rect x=\"%d\" y=\"%d\" width=\"12\" "
			    "height=\"12\" fill=\"%s\"/>\n<text class=\"legend\" "
			    "x=\"%d\" y=\"%d\">", x, y, svg_palette[m->colour %
			    10], x + 18, y + 10);
			svg_text(g->fp, m->label);
			fprintf(g->fp, "%s</text>\n", m->vanished ?
			    " (disappeared)" : "");
		}
		x += w;
	}
	return y + 24;
}

/* Write the whole chart; -1 when writing failed. */
int
timeline_svg_write(const struct timeline *tl, FILE *fp)
{
	struct svg g = { tl, fp, 0, 0, 0 };
	size_t i, longest = 12;
	int height;

	for (i = 0; i < tl->nparts; i++)
		if (strlen(tl->parts[i].label) > longest)
			longest = strlen(tl->parts[i].label);
	g.left = 24 + SVG_CHAR_W * (int)(longest > 40 ? 40 : longest);
	g.width = g.left + SVG_PLOT_W + 40;
	g.bottom = SVG_TOP + (int)tl->nparts * SVG_ROW_H;
	height = svg_legend(&g, false);
	fprintf(fp, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	    "height=\"%d\" viewBox=\"0 0 %d %d\">\n<style>\n"
	    "text { font-family: sans-serif; font-size: 12px; fill: #222; }\n"
	    ".title { font-size: 16px; font-weight: bold; }\n"
	    ".sub { font-size: 11px; fill: #555; }\n"
	    ".part { text-anchor: end; font-family: monospace; }\n"
	    ".tick { text-anchor: middle; font-size: 11px; }\n"
	    ".ep { text-anchor: middle; font-size: 11px; fill: #555; }\n"
	    ".stripe { fill: #f4f4f4; }\n"
	    ".episode { fill: #fff3c4; opacity: 0.6; }\n"
	    ".marker { stroke: #666; stroke-dasharray: 4 3; }\n"
	    ".axis { stroke: #333; }\n"
	    ".own { stroke: #fff; stroke-width: 0.5; }\n"
	    "</style>\n<rect width=\"100%%\" height=\"100%%\" "
	    "fill=\"#fff\"/>\n", g.width, height, g.width, height);
	svg_title(&g);
	svg_stripes(&g);
	svg_episodes(&g);
	svg_bars(&g);
	svg_axis(&g);
	svg_legend(&g, true);
	fprintf(fp, "</svg>\n");
	return ferror(fp) ? -1 : 0;
}
