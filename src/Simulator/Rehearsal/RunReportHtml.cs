using System.Globalization;
using System.Net;
using System.Text;

namespace BlueGreen.Simulator.Rehearsal;

/// <summary>
/// One self-contained HTML page of a <see cref="RunPicture"/>: inline CSS and inline SVG, no script, no font, nothing
/// fetched. Traffic is a step chart over virtual time (Green's share in green from the bottom, Blue's in blue above it),
/// alarms are bands on the same axis (red while in ALARM) with a marker at each change to ALARM, and the rollback moment
/// is a line; approval questions and answers are dots in their own lane with a dotted line up through the chart. Every
/// text from the run (names, reasons, states) is HTML-encoded.
/// </summary>
public static class RunReportHtml
{
    private const double Left = 70;
    private const double Width = 860;
    private const double ChartTop = 20;
    private const double ChartHeight = 200;
    private const double LaneHeight = 22;

    private const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1f2328;background:#fff}
        h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}
        .facts{display:flex;flex-wrap:wrap;gap:8px 24px;margin:8px 0}.facts div{font-size:14px}.facts b{font-weight:600}
        .outcome{padding:2px 8px;border-radius:4px;color:#fff}.Completed{background:#1a7f37}.RolledBack{background:#9a6700}
        .Planned{background:#0969da}.Failed,.RollbackFailed{background:#cf222e}
        svg text{font-size:11px;fill:#57606a}svg .label{fill:#1f2328}
        .green{fill:#2da44e}.blue{fill:#0969da}.line{fill:none;stroke:#116329;stroke-width:2}
        .alarm-band{fill:#cf222e;opacity:.75}.ok-band{fill:#d0d7de}.alarm-marker{stroke:#cf222e;stroke-width:1.5;stroke-dasharray:4 3}
        .rollback{stroke:#9a6700;stroke-width:2}.grid{stroke:#d0d7de;stroke-width:1}
        .approval line{stroke-width:1;stroke-dasharray:2 2}.asked{fill:#fff;stroke:#6e7781}.asked line{stroke:#6e7781}
        .approved{fill:#1a7f37;stroke:#1a7f37}.refused{fill:#cf222e;stroke:#cf222e}.timed-out{fill:#bc4c00;stroke:#bc4c00}
        table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #d0d7de;padding:3px 8px;text-align:left;vertical-align:top}
        pre{white-space:pre-wrap;background:#f6f8fa;padding:8px;border-radius:4px;font-size:13px}
        .legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:middle}
        """;

    public static string Render(RunPicture picture)
    {
        ArgumentNullException.ThrowIfNull(picture);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">")
            .Append("<title>").Append(E($"Blue/Green upgrade of {picture.Cluster}: {picture.Outcome}")).Append("</title><style>").Append(Style).Append("</style></head><body>\n");
        Header(html, picture);
        html.Append("<h2>Traffic and alarms</h2>\n<div class=\"legend\"><span class=\"green\" style=\"background:#2da44e\"></span>Green's share")
            .Append("<span style=\"background:#0969da\"></span>Blue's share<span style=\"background:#cf222e\"></span>alarm in ALARM")
            .Append("<span style=\"background:#9a6700\"></span>rollback");
        if (picture.Approvals.Count > 0)
        {
            html.Append("<span style=\"background:#fff;border:1px solid #6e7781;border-radius:6px\"></span>approval asked<span style=\"background:#1a7f37;border-radius:6px\"></span>approved")
                .Append("<span style=\"background:#cf222e;border-radius:6px\"></span>refused<span style=\"background:#bc4c00;border-radius:6px\"></span>timed out");
        }

        html.Append("</div>\n");
        Chart(html, picture);
        Approvals(html, picture);
        Stages(html, picture);
        if (picture.Reason is { } reason)
        {
            html.Append("<h2>Reason</h2>\n<pre id=\"reason\">").Append(E(reason)).Append("</pre>\n");
        }

        html.Append("<p><small>").Append(E($"From {picture.Source}; times are virtual (UTC).")).Append("</small></p>\n</body></html>\n");
        return html.ToString();
    }

    private static void Header(StringBuilder html, RunPicture p)
    {
        html.Append("<h1 id=\"title\">").Append(E($"Upgrade of {p.Cluster}")).Append(" <span class=\"outcome ").Append(E(p.Outcome)).Append("\">")
            .Append(E(p.Outcome)).Append("</span></h1>\n<div class=\"facts\">");
        Fact(html, "run", p.Title);
        Fact(html, "Blue", $"{p.Cluster}{(p.BlueVersion is null ? string.Empty : $" (Kubernetes {p.BlueVersion})")}");
        Fact(html, "Green", $"{p.GreenCluster ?? "?"}{(p.TargetVersion is null ? string.Empty : $" (Kubernetes {p.TargetVersion})")}");
        Fact(html, "execution", p.Status);
        Fact(html, "started", Clock(p.Start, withDate: true));
        Fact(html, "duration", Duration(p.Seconds));
        if (p.Weights.Count > 0)
        {
            Fact(html, "final traffic", $"Blue {N(p.Weights[^1].Blue)}% / Green {N(p.Weights[^1].Green)}%");
        }

        html.Append("</div>\n");
    }

    private static void Fact(StringBuilder html, string name, string value) =>
        html.Append("<div><b>").Append(E(name)).Append("</b> ").Append(E(value)).Append("</div>");

    private static void Chart(StringBuilder html, RunPicture p)
    {
        var alarmNames = p.Alarms.Select(a => a.Alarm).Distinct(StringComparer.Ordinal).ToList();
        var lanesTop = ChartTop + ChartHeight + 30;
        var approvalsTop = lanesTop + (alarmNames.Count * LaneHeight);
        var height = approvalsTop + (p.Approvals.Count > 0 ? LaneHeight : 0) + 10;
        // A margin after the end, so the split the run ended with (a rollback at the last moment) shows as a bar.
        var seconds = Math.Max(60, p.Seconds * 1.06);
        var axisEnd = p.Start.AddSeconds(seconds);
        double X(DateTimeOffset t) => Left + (Math.Clamp((t - p.Start).TotalSeconds, 0, seconds) / seconds * Width);
        double Y(double percent) => ChartTop + ChartHeight - (percent / 100 * ChartHeight);

        html.Append(CultureInfo.InvariantCulture, $"<svg id=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{Left + Width + 30}\" height=\"{F(height)}\" role=\"img\" aria-label=\"traffic weights and alarm states over time\">\n");
        foreach (var percent in new[] { 0, 25, 50, 75, 100 })
        {
            html.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{F(Left)}\" x2=\"{F(Left + Width)}\" y1=\"{F(Y(percent))}\" y2=\"{F(Y(percent))}\"/><text x=\"{F(Left - 6)}\" y=\"{F(Y(percent) + 4)}\" text-anchor=\"end\">{percent}%</text>\n");
        }

        for (var i = 0; i <= 6; i++)
        {
            var at = p.Start.AddSeconds(seconds * i / 6);
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(at))}\" y=\"{F(ChartTop + ChartHeight + 16)}\" text-anchor=\"middle\">{E(Clock(at, withDate: false))}</text>\n");
        }

        if (p.Weights.Count == 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<text class=\"label\" x=\"{F(Left + (Width / 2))}\" y=\"{F(Y(50))}\" text-anchor=\"middle\">No traffic split was read: the run named none the account has.</text>\n");
        }

        var line = new StringBuilder();
        var labels = new StringBuilder(); // after every bar, so the next step's bar does not cover a label
        for (var i = 0; i < p.Weights.Count; i++)
        {
            var w = p.Weights[i];
            var x0 = X(w.At);
            var x1 = i + 1 < p.Weights.Count ? X(p.Weights[i + 1].At) : X(axisEnd);
            var segment = Math.Max(x1 - x0, 0.5);
            var attributes = FormattableString.Invariant($"data-at=\"{E(Clock(w.At, withDate: true))}\" data-green=\"{N(w.Green)}\" data-blue=\"{N(w.Blue)}\"");
            html.Append(CultureInfo.InvariantCulture, $"<g class=\"step\" {attributes}><title>{E($"{Clock(w.At, withDate: false)}: Blue {N(w.Blue)}% / Green {N(w.Green)}%")}</title>")
                .Append(CultureInfo.InvariantCulture, $"<rect class=\"blue\" x=\"{F(x0)}\" y=\"{F(Y(100))}\" width=\"{F(segment)}\" height=\"{F(ChartHeight - (w.Green / 100 * ChartHeight))}\"/>")
                .Append(CultureInfo.InvariantCulture, $"<rect class=\"green\" x=\"{F(x0)}\" y=\"{F(Y(w.Green))}\" width=\"{F(segment)}\" height=\"{F(w.Green / 100 * ChartHeight)}\"/></g>\n");
            line.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "M" : " L")}{F(x0)},{F(Y(w.Green))} L{F(x1)},{F(Y(w.Green))}");
            if (i == 0 || p.Weights[i - 1].Green != w.Green)
            {
                labels.Append(CultureInfo.InvariantCulture, $"<text class=\"label\" x=\"{F(x0 + 3)}\" y=\"{F(Math.Max(Y(w.Green) - 4, ChartTop + 10))}\">{E($"Green {N(w.Green)}%")}</text>\n");
            }
        }

        if (line.Length > 0)
        {
            html.Append("<path id=\"green-weight\" class=\"line\" d=\"").Append(line).Append("\"/>\n").Append(labels);
        }

        for (var lane = 0; lane < alarmNames.Count; lane++)
        {
            var name = alarmNames[lane];
            var y = lanesTop + (lane * LaneHeight);
            var changes = p.Alarms.Where(a => a.Alarm == name).OrderBy(a => a.At).ToList();
            for (var i = 0; i < changes.Count; i++)
            {
                var change = changes[i];
                var until = i + 1 < changes.Count ? changes[i + 1].At : axisEnd;
                var band = change.To == "ALARM" ? "alarm-band" : "ok-band";
                html.Append(CultureInfo.InvariantCulture, $"<rect class=\"{band}\" data-alarm=\"{E(name)}\" data-state=\"{E(change.To)}\" x=\"{F(X(change.At))}\" y=\"{F(y + 2)}\" width=\"{F(Math.Max(X(until) - X(change.At), 2))}\" height=\"{F(LaneHeight - 6)}\"><title>{E($"{name}: {change.From ?? "?"} → {change.To} at {Clock(change.At, withDate: false)}")}</title></rect>\n");
                if (change.To == "ALARM")
                {
                    html.Append(CultureInfo.InvariantCulture, $"<line class=\"alarm-marker\" data-alarm=\"{E(name)}\" data-at=\"{E(Clock(change.At, withDate: true))}\" x1=\"{F(X(change.At))}\" x2=\"{F(X(change.At))}\" y1=\"{F(ChartTop)}\" y2=\"{F(y + LaneHeight)}\"><title>{E($"{name} in ALARM at {Clock(change.At, withDate: false)}")}</title></line>\n");
                }
            }

            // After the bands, so a band from before the run started does not cover the alarm's name.
            html.Append(CultureInfo.InvariantCulture, $"<text class=\"label\" x=\"{F(Left + 4)}\" y=\"{F(y + 14)}\">{E(name)}</text>\n");
        }

        if (p.Approvals.Count > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<text class=\"label\" x=\"{F(Left + 4)}\" y=\"{F(approvalsTop + 14)}\">approvals</text>\n");
        }

        for (var i = 0; i < p.Approvals.Count; i++)
        {
            // A dotted line up through the chart and a dot in the approvals lane, coloured by what happened.
            var a = p.Approvals[i];
            var x = X(a.At);
            var title = $"{a.Kind}: {a.Event} at {Clock(a.At, withDate: false)}{(a.Detail is null ? string.Empty : $" ({a.Detail})")}";
            html.Append(CultureInfo.InvariantCulture, $"<g id=\"approval-{i}\" class=\"approval {a.Event.Replace(' ', '-')}\" data-kind=\"{E(a.Kind)}\" data-event=\"{E(a.Event)}\" data-at=\"{E(Clock(a.At, withDate: true))}\"><title>{E(title)}</title>")
                .Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(x)}\" x2=\"{F(x)}\" y1=\"{F(ChartTop)}\" y2=\"{F(approvalsTop + (LaneHeight / 2))}\"/>")
                .Append(CultureInfo.InvariantCulture, $"<circle cx=\"{F(x)}\" cy=\"{F(approvalsTop + (LaneHeight / 2))}\" r=\"5\"/></g>\n");
        }

        if (p.RollbackAt is { } rollback)
        {
            html.Append(CultureInfo.InvariantCulture, $"<line id=\"rollback\" class=\"rollback\" data-at=\"{E(Clock(rollback, withDate: true))}\" x1=\"{F(X(rollback))}\" x2=\"{F(X(rollback))}\" y1=\"{F(ChartTop - 10)}\" y2=\"{F(ChartTop + ChartHeight)}\"><title>{E($"rollback: all traffic on Blue at {Clock(rollback, withDate: false)}")}</title></line>")
                .Append(CultureInfo.InvariantCulture, $"<text class=\"label\" x=\"{F(X(rollback) - 4)}\" y=\"{F(ChartTop - 2)}\" text-anchor=\"end\">rollback</text>\n");
        }

        html.Append("</svg>\n");
    }

    private static void Approvals(StringBuilder html, RunPicture p) =>
        TimedTable(html, p, "Approvals", "approvals", ["gate", "what happened"], p.Approvals.Select(a => (a.At, (IReadOnlyList<string>)[a.Kind, a.Detail is null ? a.Event : $"{a.Event} ({a.Detail})"])));

    private static void Stages(StringBuilder html, RunPicture p) =>
        TimedTable(html, p, "Stages", "stages", ["stage"], p.Stages.Select(s => (s.At, (IReadOnlyList<string>)[s.Name])));

    /// <summary>A table of moments of the run: time, time since the start, then the given cells; nothing when there are none.</summary>
    private static void TimedTable(StringBuilder html, RunPicture p, string title, string id, IReadOnlyList<string> headers, IEnumerable<(DateTimeOffset At, IReadOnlyList<string> Cells)> rows)
    {
        var list = rows.ToList();
        if (list.Count == 0)
        {
            return;
        }

        html.Append("<h2>").Append(E(title)).Append("</h2>\n<table id=\"").Append(E(id)).Append("\"><tr><th>time (UTC)</th><th>+elapsed</th>")
            .Append(string.Concat(headers.Select(h => $"<th>{E(h)}</th>"))).Append("</tr>\n");
        foreach (var (at, cells) in list)
        {
            html.Append("<tr><td>").Append(E(Clock(at, withDate: false))).Append("</td><td>+").Append(E(Duration((at - p.Start).TotalSeconds))).Append("</td>")
                .Append(string.Concat(cells.Select(c => $"<td>{E(c)}</td>"))).Append("</tr>\n");
        }

        html.Append("</table>\n");
    }

    /// <summary>HTML-encodes text and attribute values (&lt;, &gt;, &amp;, both quotes).</summary>
    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string N(double percent) => percent.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Clock(DateTimeOffset t, bool withDate) =>
        t.UtcDateTime.ToString(withDate ? "yyyy-MM-dd HH:mm:ss" : "HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Duration(double seconds) =>
        TimeSpan.FromSeconds(Math.Max(0, Math.Round(seconds))).ToString(seconds >= 86_400 ? @"d\.hh\:mm\:ss" : @"hh\:mm\:ss", CultureInfo.InvariantCulture);
}
