using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Parley.Testing.Im;

/// <summary>One REST answer, read whole: status, headers, raw bytes and the JSON body if there is one.</summary>
public sealed class RestResult(HttpStatusCode status, IReadOnlyDictionary<string, string> headers, byte[] bytes)
{
    public HttpStatusCode Status { get; } = status;

    public int Code => (int)Status;

    public IReadOnlyDictionary<string, string> Headers { get; } = headers;

    public byte[] Bytes { get; } = bytes;

    public string Text => System.Text.Encoding.UTF8.GetString(Bytes);

    public string? ContentType => Header("Content-Type");

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The body as JSON (null when it is empty or not JSON).</summary>
    public JsonNode? Json
    {
        get
        {
            if (Bytes.Length == 0)
                return null;
            try
            {
                return JsonNode.Parse(Bytes);
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    /// <summary>The body as a JSON object; fails the test otherwise.</summary>
    public JsonObject Obj => Json as JsonObject ?? throw new InvalidOperationException($"Expected a JSON object: {this}");

    public string? Str(string name) => Obj.Str(name);

    /// <summary>Fails the test unless the status is <paramref name="expected"/>.</summary>
    public RestResult Expect(HttpStatusCode expected)
    {
        Assert.True(Status == expected, $"expected {(int)expected}, got {this}");
        return this;
    }

    /// <summary>Asserts a ProblemDetails answer with <paramref name="status"/> (and <paramref name="code"/> when given).</summary>
    public JsonObject ExpectProblem(HttpStatusCode status, string? code = null)
    {
        Expect(status);
        Assert.True(ContentType?.StartsWith("application/problem+json", StringComparison.Ordinal) == true, $"expected application/problem+json: {this}");
        var problem = Obj;
        Assert.Equal((int)status, problem.Long("status"));
        if (code is not null)
            Assert.True(problem.Str("code") == code, $"expected code '{code}': {this}");
        return problem;
    }

    public override string ToString() => $"{Code} {ContentType} {(Bytes.Length > 2000 ? Text[..2000] + "…" : Text)}";
}
