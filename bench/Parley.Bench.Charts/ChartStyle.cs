using ScottPlot;

namespace Parley.Bench.Charts;

/// <summary>Colours, font and the log-scale axis the charts share.</summary>
internal static class ChartStyle
{
    public const int Width = 1200;
    public const int Height = 600;

    public static Color Server(string server) => server == "parley" ? Colors.SteelBlue : Colors.DarkOrange;

    /// <summary>
    /// Skia finds fonts through fontconfig; a container without any font renders no text at all.
    /// DejaVu Sans (Debian: fonts-dejavu-core) is the one the benchmark docs ask for.
    /// </summary>
    public static void UseInstalledFont()
    {
        var installed = SkiaSharp.SKFontManager.Default.GetFontFamilies();
        foreach (var name in new[] { "DejaVu Sans", "Liberation Sans", "Noto Sans" })
        {
            if (installed.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                Fonts.Default = name;
                return;
            }
        }
        Console.Error.WriteLine("warning: none of DejaVu Sans, Liberation Sans, Noto Sans is installed (apt-get install fonts-dejavu-core); chart text may be missing");
    }

    /// <summary>
    /// Shows the left axis as milliseconds on a log scale (the data is plotted as log10 of the
    /// value): labels at 1, 2 and 5 of every decade between <paramref name="minMs"/> and
    /// <paramref name="maxMs"/>, so even a range narrower than one decade has several labels.
    /// </summary>
    public static void LogMillisecondsAxis(Plot plot, double minMs, double maxMs)
    {
        var low = Math.Floor(Log(minMs));
        var high = Math.Ceiling(Log(maxMs));
        if (high <= low)
            high = low + 1;
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (var decade = low; decade < high; decade++)
        {
            for (var m = 1; m <= 9; m++)
            {
                var position = decade + Math.Log10(m);
                if (m is 1 or 2 or 5)
                    ticks.AddMajor(position, FormatMilliseconds(m * Math.Pow(10, decade)));
                else
                    ticks.AddMinor(position);
            }
        }
        ticks.AddMajor(high, FormatMilliseconds(Math.Pow(10, high)));
        plot.Axes.Left.TickGenerator = ticks;
        plot.Axes.SetLimitsY(Log(minMs) - 0.1, Log(maxMs) + 0.1);
        plot.Grid.MajorLineColor = Colors.Black.WithOpacity(0.15);
        plot.Grid.MinorLineColor = Colors.Black.WithOpacity(0.05);
    }

    public static double Log(double milliseconds) => Math.Log10(Math.Max(milliseconds, 0.01));

    private static string FormatMilliseconds(double ms) => ms switch
    {
        >= 1000 => $"{ms / 1000:0.##} s",
        >= 1 => $"{ms:0} ms",
        _ => $"{ms:0.###} ms",
    };
}
