using System.Collections.Concurrent;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace SealService.Keys.Pkcs11;

/// <summary>
/// One logged-in token with a pool of sessions. PKCS#11 login belongs to the application, not the session:
/// the first session logs in and stays open, so every pooled session can sign. A session that fails is closed,
/// not returned, so a removed token or a module restart does not poison the pool.
/// </summary>
public sealed class Pkcs11Token : IDisposable
{
    private readonly ConcurrentBag<ISession> _idle = [];
    private readonly SemaphoreSlim _slots;
    private readonly ISession _loginSession;
    private bool _disposed;

    private Pkcs11Token(ISlot slot, ISession loginSession, int maxSessions, string label)
    {
        Slot = slot;
        _loginSession = loginSession;
        _slots = new SemaphoreSlim(maxSessions, maxSessions);
        Label = label;
    }

    public ISlot Slot { get; }

    public string Label { get; }

    internal static Pkcs11InteropFactories Factories => Pkcs11Modules.Factories;

    public static Pkcs11Token Open(Pkcs11Options options)
    {
        if (string.IsNullOrWhiteSpace(options.TokenLabel) == (options.SlotId is null))
        {
            throw new KeysException(KeyErrorCodes.TokenUnavailable, "Keys:Pkcs11: set exactly one of TokenLabel and SlotId.");
        }

        var library = Pkcs11Modules.Open(options.Library);
        try
        {
            var slot = library.GetSlotList(SlotsType.WithTokenPresent).FirstOrDefault(s =>
                options.SlotId is { } id ? s.SlotId == id : s.GetTokenInfo().Label == options.TokenLabel)
                ?? throw new KeysException(KeyErrorCodes.TokenUnavailable,
                    options.SlotId is { } id ? $"No token in slot {id}." : $"No token labelled '{options.TokenLabel}'.");
            var session = slot.OpenSession(SessionType.ReadWrite);
            try
            {
                session.Login(CKU.CKU_USER, options.ReadPin());
            }
            catch (Pkcs11Exception e) when (e.RV == CKR.CKR_USER_ALREADY_LOGGED_IN)
            {
                // another store in this process logged in to the same token
            }
            catch (Pkcs11Exception e)
            {
                session.Dispose();
                throw new KeysException(KeyErrorCodes.TokenUnavailable,
                    e.RV is CKR.CKR_PIN_INCORRECT or CKR.CKR_PIN_LOCKED ? $"The token refused the PIN ({e.RV})." : $"Login failed ({e.RV}).");
            }

            return new Pkcs11Token(slot, session, options.MaxSessions, slot.GetTokenInfo().Label);
        }
        catch (Pkcs11Exception e)
        {
            throw new KeysException(KeyErrorCodes.TokenUnavailable, $"The token cannot be opened ({e.RV}).", e);
        }
    }

    /// <summary>Runs <paramref name="operation"/> on a pooled session (at most MaxSessions at once).</summary>
    public async ValueTask<T> RunAsync<T>(Func<ISession, T> operation, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        ISession? session = null;
        try
        {
            session = _idle.TryTake(out var idle) ? idle : Slot.OpenSession(SessionType.ReadOnly);
            var result = operation(session);
            _idle.Add(session);
            session = null;
            return result;
        }
        catch (Pkcs11Exception e)
        {
            throw new KeysException(KeyErrorCodes.TokenOperationFailed, $"The token refused the operation ({e.RV}).", e);
        }
        finally
        {
            session?.Dispose();
            _slots.Release();
        }
    }

    /// <summary>Runs <paramref name="operation"/> on the read-write login session (key generation, imports).</summary>
    public T RunReadWrite<T>(Func<ISession, T> operation)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_loginSession)
        {
            try
            {
                return operation(_loginSession);
            }
            catch (Pkcs11Exception e)
            {
                throw new KeysException(KeyErrorCodes.TokenOperationFailed, $"The token refused the operation ({e.RV}).", e);
            }
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        while (_idle.TryTake(out var session))
        {
            session.Dispose();
        }

        _loginSession.Dispose();
        _slots.Dispose();
    }
}
