using System.Buffers;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.Bayeux.AspNetCore.Http;
using Parley.Bayeux.Channels;
using Parley.Bayeux.Messages;
using Parley.Bayeux.Server;

namespace Parley.Bayeux.AspNetCore.Transports;

/// <summary>
/// The HTTP request/response transports: <c>long-polling</c> (POST, JSON or form body) and
/// <c>callback-polling</c> (JSONP GET). A held connect parks the request; every other message
/// of the request is answered in the same response.
/// </summary>
internal sealed partial class HttpPollingTransport(BayeuxServer server, OriginPolicy origins, IOptions<BayeuxOptions> options, ILogger<HttpPollingTransport> logger)
{
    private static readonly byte[] JsonpPrefix = "/**/"u8.ToArray();
    private static readonly byte[] JsonpSuffix = ");"u8.ToArray();
    private readonly BayeuxOptions _options = options.Value;

    [GeneratedRegex("^[A-Za-z0-9._$-]{1,64}$")]
    private static partial Regex CallbackName();

    public async Task LongPollAsync(HttpContext http)
    {
        if (!origins.Admit(http))
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        var parsed = await RequestBody.ReadAsync(http.Request, _options.MaxMessageSize, _options.MaxMessagesPerRequest, http.RequestAborted);
        await HandleAsync(http, parsed, "long-polling", jsonp: null);
    }

    public async Task CallbackPollAsync(HttpContext http)
    {
        var callback = http.Request.Query["jsonp"].ToString();
        if (callback.Length == 0)
            callback = "jsonpcallback";
        if (!CallbackName().IsMatch(callback))
        {
            await WriteErrorAsync(http, StatusCodes.Status400BadRequest, "400::callback_invalid", jsonp: null);
            return;
        }
        if (!origins.AdmitScript(http))
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        var message = http.Request.Query["message"].ToString();
        var parsed = message.Length > _options.MaxMessageSize
            ? new ParseResult(null, "413::message_too_large")
            : BayeuxCodec.Parse(message, _options.MaxMessagesPerRequest);
        await HandleAsync(http, parsed, "callback-polling", callback);
    }

    private async Task HandleAsync(HttpContext http, ParseResult parsed, string transport, string? jsonp)
    {
        if (!parsed.Success)
        {
            var status = parsed.Error!.StartsWith("413", StringComparison.Ordinal) ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest;
            Log.BadRequest(logger, parsed.Error, http.Connection.RemoteIpAddress);
            await WriteErrorAsync(http, status, parsed.Error, jsonp);
            return;
        }
        var messages = parsed.Messages!;
        var isHandshake = Array.Exists(messages, m => m.Channel == ChannelName.Handshake);
        // Only the cookie the client sent checks clientIds; one issued to a handshake without a
        // cookie just names the session's browser. A client can end up holding another cookie than
        // the one issued here (e.g. Faye opens its WebSocket alongside the handshake, and that
        // upgrade issues one too), so binding the session to an issued id would orphan it.
        var browser = BrowserCookie.Read(http, _options.BrowserCookieName);
        var sessionBrowser = browser ?? (isHandshake ? BrowserCookie.Issue(http, _options.BrowserCookieName) : null);
        var countsPolls = http.Request.Protocol == "HTTP/1.1" || http.Request.Protocol == "HTTP/1.0";
        var context = new HttpBayeuxContext(http, transport, browser, countsPolls, http.RequestAborted, sessionBrowser);

        var result = await server.ProcessAsync(messages, context, http.RequestAborted);
        var deliveries = new List<EncodedMessage>();
        var statusCode = result.Status;
        var connect = result.Connect;
        if (connect is not null)
        {
            var wake = await connect.Completion;
            var reply = server.CompleteConnect(connect, wake, deliveries);
            if (reply is null)
            {
                server.ConnectWritten(connect, written: false); // the client went away; its messages stay queued
                return;
            }
            result.Replies.Add(reply);
            if (wake == Sessions.ConnectWake.Superseded)
                statusCode = StatusCodes.Status408RequestTimeout;
        }
        var written = await WriteAsync(http, statusCode, deliveries, result.Replies, jsonp);
        if (connect is not null)
            server.ConnectWritten(connect, written);
    }

    private async Task<bool> WriteAsync(HttpContext http, int status, List<EncodedMessage> deliveries, List<BayeuxMessage> replies, string? jsonp)
    {
        try
        {
            var response = http.Response;
            response.StatusCode = status;
            response.Headers.CacheControl = "no-cache, no-store";
            if (jsonp is null)
            {
                response.ContentType = "application/json;charset=utf-8";
                BayeuxCodec.WriteBatch(response.BodyWriter, deliveries, replies);
            }
            else
            {
                response.ContentType = "text/javascript;charset=utf-8";
                response.Headers.XContentTypeOptions = "nosniff";
                response.BodyWriter.Write(JsonpPrefix);
                response.BodyWriter.Write(System.Text.Encoding.ASCII.GetBytes(jsonp + "("));
                BayeuxCodec.WriteBatch(response.BodyWriter, deliveries, replies);
                response.BodyWriter.Write(JsonpSuffix);
            }
            var flush = await response.BodyWriter.FlushAsync(http.RequestAborted);
            return !flush.IsCanceled;
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            Log.WriteFailed(logger, ex.Message);
            return false;
        }
    }

    private static Task WriteErrorAsync(HttpContext http, int status, string error, string? jsonp)
    {
        var reply = new BayeuxMessage { Successful = false, Error = error, Channel = "/meta/unknown" };
        var response = http.Response;
        response.StatusCode = status;
        response.Headers.CacheControl = "no-cache, no-store";
        var json = BayeuxCodec.Serialize([reply]);
        if (jsonp is null)
        {
            response.ContentType = "application/json;charset=utf-8";
            return response.WriteAsync(json);
        }
        response.ContentType = "text/javascript;charset=utf-8";
        response.Headers.XContentTypeOptions = "nosniff";
        return response.WriteAsync($"/**/{jsonp}({json});");
    }
}
