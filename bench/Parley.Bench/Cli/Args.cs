using System.Globalization;

namespace Parley.Bench.Cli;

/// <summary>The command line: a scenario name, then <c>--name value</c> options and <c>--flag</c> switches.</summary>
internal sealed class Args
{
    private static readonly HashSet<string> Flags = new(StringComparer.Ordinal) { "smoke", "find-limit", "quiet", "help" };

    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    private Args(string scenario, string[] raw)
    {
        Scenario = scenario;
        Raw = raw;
    }

    public string Scenario { get; }

    /// <summary>The arguments as given, to hand to child processes.</summary>
    public string[] Raw { get; }

    public static Args Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
            throw new ArgumentException("the first argument is the scenario: fanout, connections, chat or presence-badge");
        var parsed = new Args(args[0], args);
        for (var i = 1; i < args.Length; i++)
        {
            var a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal))
                throw new ArgumentException($"unexpected argument '{a}'");
            var name = a[2..];
            string value;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }
            else if (Flags.Contains(name))
            {
                value = "true";
            }
            else
            {
                if (i + 1 >= args.Length)
                    throw new ArgumentException($"--{name} needs a value");
                value = args[++i];
            }
            parsed._values[name] = value;
        }
        return parsed;
    }

    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>Every option as given (flags as <c>"true"</c>), for the report's parameters.</summary>
    public IReadOnlyDictionary<string, string> Values => _values;

    public string Str(string name, string fallback)
    {
        _used.Add(name);
        return _values.TryGetValue(name, out var v) ? v : fallback;
    }

    public string? StrOrNull(string name)
    {
        _used.Add(name);
        return _values.GetValueOrDefault(name);
    }

    public int Int(string name, int fallback) => (int)Double(name, fallback);

    public double Double(string name, double fallback)
    {
        _used.Add(name);
        if (!_values.TryGetValue(name, out var v))
            return fallback;
        return double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d
            : throw new ArgumentException($"--{name} expects a number, got '{v}'");
    }

    public bool Flag(string name)
    {
        _used.Add(name);
        return _values.TryGetValue(name, out var v) && v is not ("false" or "0");
    }

    /// <summary>Options that were given but never read: almost always a typo.</summary>
    public IEnumerable<string> Unused() => _values.Keys.Where(k => !_used.Contains(k));

    /// <summary>The raw arguments with some options replaced or added (for child processes and limit steps).</summary>
    public string[] With(IReadOnlyDictionary<string, string?> overrides)
    {
        var list = new List<string> { Scenario };
        foreach (var (k, v) in _values)
        {
            if (overrides.ContainsKey(k))
                continue;
            if (Flags.Contains(k))
            {
                if (v is not ("false" or "0"))
                    list.Add("--" + k);
                continue;
            }
            list.Add("--" + k);
            list.Add(v);
        }
        foreach (var (k, v) in overrides)
        {
            if (v is null)
                continue;
            list.Add("--" + k);
            list.Add(v);
        }
        return [.. list];
    }

    public Args Reparse(IReadOnlyDictionary<string, string?> overrides) => Parse(With(overrides));
}
