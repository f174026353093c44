// PROTOCOL.md section 9.
export const Limits = Object.freeze({
  MaxMessageGap: 2000,
  MaxSkippedMessageKeys: 2000,
  MaxReceiverChains: 5,
  MaxArchivedStates: 40,
  MaxPlaintextLength: 65536,
  MaxChainCounter: 4294967294,
  MaxSenderKeyGap: 2000,
  MaxSenderKeySkippedKeys: 2000,
  MaxSenderKeyStates: 5,
  StatusLifetimeMilliseconds: 86400000,
  MaxEnvelopeLength: 98304,
});
