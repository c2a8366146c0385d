using System.Text.Json.Nodes;

namespace Parley.Testing.Im;

/// <summary>A message pushed to a client: the channel it came on and its data (an IM event).</summary>
public sealed record Delivery(string Channel, JsonObject Data)
{
    public string? Type => Data.Str("type");

    public string? Str(string name) => Data.Str(name);

    public long? Long(string name) => Data.Long(name);

    public override string ToString() => $"{Channel} {Data.ToJsonString(Json.Wire)}";
}
