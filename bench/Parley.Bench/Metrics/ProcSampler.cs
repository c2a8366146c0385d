using System.Globalization;

namespace Parley.Bench.Metrics;

/// <summary>Reads a process's RSS and CPU time, and the machine's busy time, from /proc.</summary>
internal static class ProcSampler
{
    // USER_HZ is 100 on every Linux configuration .NET runs on.
    private const double ClockTicksPerSecond = 100.0;

    /// <summary>Resident set size in bytes, or -1 when the process is gone.</summary>
    public static long RssBytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return long.Parse(parts[1], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return -1;
    }

    /// <summary>User + system CPU seconds of the process (its threads included), or -1.</summary>
    public static double CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name may hold spaces: fields are counted after its closing parenthesis.
            var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var utime = long.Parse(rest[11], CultureInfo.InvariantCulture);
            var stime = long.Parse(rest[12], CultureInfo.InvariantCulture);
            return (utime + stime) / ClockTicksPerSecond;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return -1;
        }
    }

    /// <summary>The pids whose parent is <paramref name="pid"/> (one level), from /proc/*/stat.</summary>
    public static List<int> Children(int pid)
    {
        var children = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var candidate))
                continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // Fields after the command name: state, ppid, …
                var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ', 3);
                if (int.Parse(rest[1], CultureInfo.InvariantCulture) == pid)
                    children.Add(candidate);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                // The process ended meanwhile.
            }
        }
        return children;
    }

    /// <summary>
    /// Total, idle and stolen jiffies of all CPUs (first line of /proc/stat). Steal is time the
    /// hypervisor ran something else while this VM's CPU wanted to run; a process's own CPU time
    /// (from /proc/PID/stat) may include it, so a large steal share inflates per-process figures.
    /// </summary>
    public static (long Total, long Idle, long Steal) MachineJiffies()
    {
        try
        {
            var line = File.ReadLines("/proc/stat").First();
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            long total = 0;
            for (var i = 1; i < f.Length && i <= 8; i++)
                total += long.Parse(f[i], CultureInfo.InvariantCulture);
            var idle = long.Parse(f[4], CultureInfo.InvariantCulture) + long.Parse(f[5], CultureInfo.InvariantCulture);
            var steal = f.Length > 8 ? long.Parse(f[8], CultureInfo.InvariantCulture) : 0;
            return (total, idle, steal);
        }
        catch (Exception ex) when (ex is IOException or FormatException or IndexOutOfRangeException)
        {
            return (0, 0, 0);
        }
    }
}
