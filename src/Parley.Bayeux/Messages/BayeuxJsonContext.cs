using System.Text.Json.Serialization;

namespace Parley.Bayeux.Messages;

/// <summary>Source-generated JSON metadata for the wire model: no reflection on the hot path.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowTrailingCommas = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(BayeuxMessage))]
[JsonSerializable(typeof(BayeuxMessage[]))]
[JsonSerializable(typeof(List<BayeuxMessage>))]
internal sealed partial class BayeuxJsonContext : JsonSerializerContext;
