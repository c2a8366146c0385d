namespace Parley.Chat.Tests.Support;

/// <summary>Assertions on refusals.</summary>
public static class ChatAssert
{
    /// <summary>Asserts that <paramref name="action"/> is refused with this kind and code.</summary>
    public static async Task<ChatException> RefusedAsync(ChatErrorKind kind, string code, Func<Task> action)
    {
        var refusal = await Assert.ThrowsAsync<ChatException>(action);
        Assert.Equal((kind, code), (refusal.Kind, refusal.Code));
        return refusal;
    }
}
