using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Parley.Bayeux.Messages;
using Parley.Chat.Notifications;

namespace Parley.Server.Im;

/// <summary>JSON settings shared by the REST API and the events pushed over Bayeux: UTF-8 as is (no \u escapes for Chinese or emoji).</summary>
internal static class ImJson
{
    /// <summary>The source-generated metadata bound to Parley's settings.</summary>
    public static readonly ImJsonContext Context = new(Apply(new JsonSerializerOptions(JsonSerializerDefaults.Web)));

    /// <summary>Applies Parley's settings to options (ASP.NET's HTTP JSON options among them).</summary>
    public static JsonSerializerOptions Apply(JsonSerializerOptions options)
    {
        options.Encoder = MinimalJsonEncoder.Instance;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        return options;
    }

    /// <summary>An event as the JSON object clients receive (its runtime type decides the fields).</summary>
    public static JsonElement ToElement(ChatEvent chatEvent) =>
        JsonSerializer.SerializeToElement(chatEvent, Context.GetTypeInfo(chatEvent.GetType())!);

    /// <summary>Any registered type as a JSON element.</summary>
    public static JsonElement ToElement<T>(T value) =>
        JsonSerializer.SerializeToElement(value, (JsonTypeInfo<T>)Context.GetTypeInfo(typeof(T))!);

    /// <summary>Reads a registered type from a JSON element; null when it does not fit.</summary>
    public static T? FromElement<T>(JsonElement element) where T : class
    {
        try
        {
            return element.ValueKind == JsonValueKind.Object ? element.Deserialize((JsonTypeInfo<T>)Context.GetTypeInfo(typeof(T))!) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
