using System.Text.Json.Serialization;

namespace Parley.Backplane.Redis;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SignalEnvelope))]
internal sealed partial class ClusterJsonContext : JsonSerializerContext;
