using Microsoft.AspNetCore.Diagnostics;
using Parley.Chat;
using Parley.Chat.Storage;

namespace Parley.Server.Api;

/// <summary>Turns refusals into ProblemDetails with a stable <c>code</c>; the store being down into 503.</summary>
internal sealed partial class ChatExceptionHandler(ILogger<ChatExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, title) = exception switch
        {
            ChatException chat => (StatusOf(chat.Kind), chat.Code, chat.Message),
            StoreUnavailableException => (StatusCodes.Status503ServiceUnavailable, "unavailable", "The store is unavailable; nothing was saved. Try again."),
            BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status413PayloadTooLarge => (413, "too_large", "The request body is too large."),
            BadHttpRequestException => (StatusCodes.Status400BadRequest, "invalid_request", "The request body is not valid JSON of the documented shape."),
            _ => (0, "", ""),
        };
        if (status == 0)
            return false;
        if (exception is StoreUnavailableException)
            Log.StoreUnavailable(logger, http.Request.Path, exception);
        if (http.Response.HasStarted)
            return true;
        http.Response.Clear();
        http.Response.StatusCode = status;
        await ApiResults.Problem(status, code, title).ExecuteAsync(http);
        return true;
    }

    public static int StatusOf(ChatErrorKind kind) => kind switch
    {
        ChatErrorKind.Invalid => StatusCodes.Status400BadRequest,
        ChatErrorKind.Unauthorized => StatusCodes.Status401Unauthorized,
        ChatErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ChatErrorKind.NotFound => StatusCodes.Status404NotFound,
        ChatErrorKind.Conflict => StatusCodes.Status409Conflict,
        ChatErrorKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
        ChatErrorKind.RateLimited => StatusCodes.Status429TooManyRequests,
        _ => StatusCodes.Status503ServiceUnavailable,
    };
}
