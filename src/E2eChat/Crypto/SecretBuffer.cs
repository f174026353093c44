using System.Diagnostics;
using System.Security.Cryptography;

namespace E2eChat;

/// <summary>
/// A fixed-length secret owned by the library: pinned (the GC never leaves copies behind when it
/// compacts), wiped with <see cref="CryptographicOperations.ZeroMemory(Span{byte})"/> on dispose,
/// and never shown by <see cref="ToString"/> or the debugger.
/// </summary>
[DebuggerDisplay("SecretBuffer ({Length} bytes)")]
public sealed class SecretBuffer : IDisposable
{
    private readonly byte[] _bytes;
    private bool _disposed;

    /// <summary>Allocates a zeroed secret of <paramref name="length"/> bytes.</summary>
    /// <param name="length">The length in bytes; must not be negative.</param>
    public SecretBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _bytes = GC.AllocateArray<byte>(length, pinned: true);
    }

    /// <summary>Allocates a secret holding a copy of <paramref name="source"/>.</summary>
    /// <param name="source">The bytes to copy; the caller remains responsible for wiping them.</param>
    public SecretBuffer(ReadOnlySpan<byte> source)
        : this(source.Length)
    {
        source.CopyTo(_bytes);
    }

    /// <summary>The length of the secret in bytes.</summary>
    public int Length => _bytes.Length;

    /// <summary>Whether <see cref="Dispose"/> has run.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>The secret bytes, read-only.</summary>
    /// <exception cref="ObjectDisposedException">The buffer was disposed.</exception>
    public ReadOnlySpan<byte> Span
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _bytes;
        }
    }

    /// <summary>The secret bytes, writable; for code that fills the buffer in place.</summary>
    /// <exception cref="ObjectDisposedException">The buffer was disposed.</exception>
    internal Span<byte> WritableSpan
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _bytes;
        }
    }

    /// <summary>Returns a new buffer holding a copy of this secret.</summary>
    /// <returns>An independent copy that the caller must dispose.</returns>
    public SecretBuffer Clone() => new(Span);

    /// <summary>Compares two secrets in time independent of their contents.</summary>
    /// <param name="other">The other secret.</param>
    /// <returns><see langword="true"/> when both have the same length and bytes.</returns>
    public bool ContentEquals(SecretBuffer other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return CryptographicOperations.FixedTimeEquals(Span, other.Span);
    }

    /// <summary>Wipes the secret. Safe to call more than once.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            CryptographicOperations.ZeroMemory(_bytes);
            _disposed = true;
        }
    }

    /// <summary>Names the type and length only; never the contents.</summary>
    /// <returns>A description without secret material.</returns>
    public override string ToString() => $"SecretBuffer({_bytes.Length} bytes)";
}
