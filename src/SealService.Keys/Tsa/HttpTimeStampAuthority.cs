using System.Net.Http.Headers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tsp;

namespace SealService.Keys.Tsa;

/// <summary>Configuration of an external RFC 3161 TSA (section "Keys:Tsa").</summary>
public sealed class TimeStampOptions
{
    /// <summary>TSA endpoint; empty means the built-in development TSA is used.</summary>
    public string? Url { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest token accepted (and reserved in the PDF); bigger answers are refused.</summary>
    public int MaxTokenSize { get; set; } = 16 * 1024;
}

/// <summary>
/// RFC 3161 over HTTP: POST application/timestamp-query, answer application/timestamp-reply.
/// Fails closed with a <see cref="KeysException"/> (TSA_TIMEOUT, TSA_UNAVAILABLE, TSA_REJECTED,
/// TSA_RESPONSE_INVALID, TSA_TOKEN_TOO_LARGE); never falls back to another TSA.
/// </summary>
public sealed class HttpTimeStampAuthority : ITimeStampAuthority
{
    private readonly HttpClient _http;
    private readonly Uri _url;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;

    public HttpTimeStampAuthority(HttpClient http, TimeStampOptions options, TimeProvider? time = null)
    {
        if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new KeysException(KeyErrorCodes.TsaNotConfigured, "The TSA URL must be an absolute http(s) URL.");
        }

        if (options.MaxTokenSize is < 1024 or > 256 * 1024)
        {
            throw new KeysException(KeyErrorCodes.TsaNotConfigured, "TSA MaxTokenSize must be between 1 KiB and 256 KiB.");
        }

        _http = http;
        _url = url;
        _timeout = options.Timeout;
        _time = time ?? TimeProvider.System;
        MaxTokenSize = options.MaxTokenSize;
    }

    public int MaxTokenSize { get; }

    public async Task<byte[]> GetTokenAsync(byte[] digest, string digestAlgorithmOid, CancellationToken cancellationToken = default)
    {
        var requestGenerator = new TimeStampRequestGenerator();
        requestGenerator.SetCertReq(true);
        var nonce = new BigInteger(1, SecureRandom.GetNextBytes(new SecureRandom(), 8));
        var request = requestGenerator.Generate(digestAlgorithmOid, digest, nonce);

        using var deadline = new CancellationTokenSource(_timeout, _time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        byte[] body;
        try
        {
            using var content = new ByteArrayContent(request.GetEncoded());
            content.Headers.ContentType = new MediaTypeHeaderValue("application/timestamp-query");
            using var response = await _http.PostAsync(_url, content, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new KeysException(KeyErrorCodes.TsaUnavailable, $"TSA {_url.Host} answered HTTP {(int)response.StatusCode}.");
            }

            body = await ReadLimitedAsync(response.Content, MaxTokenSize + 4096, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new KeysException(KeyErrorCodes.TsaTimeout, $"TSA {_url.Host} did not answer within {_timeout.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException ex)
        {
            throw new KeysException(KeyErrorCodes.TsaUnavailable, $"TSA {_url.Host} is unreachable: {ex.Message}", ex);
        }

        return ParseAndCheck(body, request, MaxTokenSize);
    }

    /// <summary>Checks status, nonce, imprint and certificate request of a TSA answer; returns the token.</summary>
    public static byte[] ParseAndCheck(byte[] body, TimeStampRequest request, int maxTokenSize)
    {
        TimeStampResponse response;
        try
        {
            response = new TimeStampResponse(body);
        }
        catch (Exception ex) when (ex is IOException or TspException or ArgumentException or Org.BouncyCastle.Asn1.Asn1Exception or InvalidCastException)
        {
            throw new KeysException(KeyErrorCodes.TsaResponseInvalid, "The TSA answer is not an RFC 3161 TimeStampResp.", ex);
        }

        if (response.Status is not (0 or 1) || response.TimeStampToken is null)
        {
            throw new KeysException(KeyErrorCodes.TsaRejected, $"The TSA refused the request (status {response.Status}: {response.GetStatusString()}).");
        }

        try
        {
            response.Validate(request);
        }
        catch (TspException ex)
        {
            throw new KeysException(KeyErrorCodes.TsaResponseInvalid, $"The TSA answer does not match the request: {ex.Message}", ex);
        }

        var token = response.TimeStampToken.GetEncoded();
        if (token.Length > maxTokenSize)
        {
            throw new KeysException(KeyErrorCodes.TsaTokenTooLarge, $"The TSA token has {token.Length} bytes, more than the {maxTokenSize} reserved.");
        }

        return token;
    }

    private static async Task<byte[]> ReadLimitedAsync(HttpContent content, int limit, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > limit)
        {
            throw new KeysException(KeyErrorCodes.TsaTokenTooLarge, $"The TSA answer is larger than {limit} bytes.");
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new KeysException(KeyErrorCodes.TsaTokenTooLarge, $"The TSA answer is larger than {limit} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
