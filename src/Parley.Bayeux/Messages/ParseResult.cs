namespace Parley.Bayeux.Messages;

/// <summary>What <see cref="BayeuxCodec.Parse"/> made of a request body.</summary>
public readonly record struct ParseResult(BayeuxMessage[]? Messages, string? Error)
{
    /// <summary>True when the body was a JSON message or array of messages.</summary>
    public bool Success => Messages is not null;

    internal static ParseResult Fail(string error) => new(null, error);
}
