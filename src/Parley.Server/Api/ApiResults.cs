namespace Parley.Server.Api;

/// <summary>The API's shared answers: ProblemDetails with a stable <c>code</c>, and 204 after an operation.</summary>
internal static class ApiResults
{
    /// <summary>A ProblemDetails answer; clients branch on <paramref name="code"/>, people read <paramref name="title"/>.</summary>
    public static IResult Problem(int status, string code, string title) =>
        Results.Problem(statusCode: status, title: title, extensions: new Dictionary<string, object?> { ["code"] = code });

    /// <summary>Runs the operation and answers 204 No Content.</summary>
    public static async Task<IResult> NoContentAfter(Task operation)
    {
        await operation;
        return TypedResults.NoContent();
    }
}
