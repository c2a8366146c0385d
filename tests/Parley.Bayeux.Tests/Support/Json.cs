using System.Text.Json;

namespace Parley.Bayeux.Tests.Support;

internal static class Json
{
    /// <summary>Parses JSON text into a detached element.</summary>
    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static JsonElement String(string value) => JsonSerializer.SerializeToElement(value);
}
