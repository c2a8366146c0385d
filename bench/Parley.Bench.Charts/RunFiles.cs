using System.Text.Json;

namespace Parley.Bench.Charts;

/// <summary>The result files compare.sh writes: <c>{server}-{scenario}-{transport}.json</c>.</summary>
internal static class RunFiles
{
    public static readonly string[] Servers = ["parley", "faye"];

    public static readonly string[] Transports = ["websocket", "long-polling"];

    public static JsonElement? Load(string path)
    {
        if (!File.Exists(path))
            return null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            Console.Error.WriteLine($"skipping {path}: {ex.Message}");
            return null;
        }
    }

    public static double? Number(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
                return null;
        }
        return element.ValueKind == JsonValueKind.Number ? element.GetDouble() : null;
    }

    public static string Title(string server) => server == "parley" ? "Parley" : "Faye";
}
