using System.Globalization;
using System.Reflection;

namespace Parley.Chat.Storage;

/// <summary>
/// The versioned schema scripts a store embeds as <c>Migrations/NNN_name.sql</c>, read once and
/// ordered by version. Every store applies them its own way; finding and checking them is the same.
/// </summary>
public static class MigrationScripts
{
    /// <summary>Every embedded <c>{resourcePrefix}NNN_name.sql</c> of <paramref name="assembly"/>, by version; throws on a bad name or a repeated version.</summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> Load(Assembly assembly, string resourcePrefix)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var migrations = new List<(int Version, string Name, string Sql)>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(resourcePrefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal))
                continue;
            var name = resource[resourcePrefix.Length..^".sql".Length];
            var underscore = name.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0 || !int.TryParse(name.AsSpan(0, underscore), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
                throw new InvalidOperationException($"Migration '{resource}' is not named NNN_name.sql.");
            migrations.Add((version, name, Read(assembly, resource)));
        }
        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < migrations.Count; i++)
        {
            if (migrations[i].Version == migrations[i - 1].Version)
                throw new InvalidOperationException($"Two migrations share version {migrations[i].Version}.");
        }
        return migrations;
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Migration '{resource}' cannot be read.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
