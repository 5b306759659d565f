//! Custodial keys, encrypted at rest with envelope encryption.
//!
//! Each user gets a random 256-bit data key; their EVM (secp256k1) and Solana (ed25519) secrets are encrypted under
//! it with AES-256-GCM, each with its own random nonce and an AAD that binds the ciphertext to its kind and public
//! address (a ciphertext copied onto another row does not decrypt). The data key is stored wrapped by a master key
//! through the [`KeyStore`] trait: [`LocalKeyStore`] holds the master key in memory (from a file or an environment
//! variable); a Vault or cloud-KMS store implements the same trait. Rotating the master key rewraps the data keys
//! only ([`rotate_master_key`]).

use aes_gcm::aead::{Aead, KeyInit, OsRng, Payload, rand_core::RngCore};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use alloy::primitives::Address;
use alloy::signers::local::PrivateKeySigner;
use sha2::{Digest, Sha256};
use solana_keypair::Keypair;
use solana_signer::Signer;
use sqlx::PgPool;
use zeroize::{Zeroize, Zeroizing};

const NONCE_LEN: usize = 12;
const WRAP_AAD: &[u8] = b"mercato relayer data key v1";

/// Why a key operation failed. Messages never contain key material.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The master key is not 32 bytes of hex.
    #[error("the master key must be 64 hex characters (32 bytes): {0}")]
    BadMasterKey(String),
    /// A wrapped data key names a master key this store does not hold.
    #[error("data key wrapped by unknown master key {0}")]
    UnknownMasterKey(String),
    /// Authenticated decryption failed (wrong key, tampered or misplaced ciphertext).
    #[error("decryption failed: wrong key or tampered ciphertext")]
    Decrypt,
    /// The database failed.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}

/// A 256-bit data key, wiped from memory on drop.
pub struct DataKey(Zeroizing<[u8; 32]>);

impl DataKey {
    /// A fresh random data key.
    pub fn generate() -> Self {
        let mut key = Zeroizing::new([0u8; 32]);
        OsRng.fill_bytes(key.as_mut());
        Self(key)
    }

    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new(&Key::<Aes256Gcm>::from(*self.0))
    }
}

/// Wraps and unwraps data keys under a master key it never reveals.
#[async_trait::async_trait]
pub trait KeyStore: Send + Sync {
    /// The id of the master key new data keys are wrapped with (stored next to each wrapped key).
    fn current_key_id(&self) -> String;
    /// Wraps `key` under the current master key.
    async fn wrap(&self, key: &DataKey) -> Result<Vec<u8>, KeyError>;
    /// Unwraps a data key wrapped under master key `key_id`.
    async fn unwrap(&self, key_id: &str, wrapped: &[u8]) -> Result<DataKey, KeyError>;
}

/// Master keys held in process memory: the current one, and older ones that can still unwrap during a rotation.
pub struct LocalKeyStore {
    current: MasterKey,
    previous: Vec<MasterKey>,
}

struct MasterKey {
    id: String,
    cipher: Aes256Gcm,
}

impl MasterKey {
    fn from_hex(hex_key: &str) -> Result<Self, KeyError> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        hex::decode_to_slice(hex_key.trim().trim_start_matches("0x"), bytes.as_mut())
            .map_err(|e| KeyError::BadMasterKey(e.to_string()))?;
        // The id is a fingerprint: it names the key without revealing it.
        let id = hex::encode(&Sha256::digest(Sha256::digest(bytes.as_ref()))[..8]);
        Ok(Self { id, cipher: Aes256Gcm::new(&Key::<Aes256Gcm>::from(*bytes)) })
    }
}

impl LocalKeyStore {
    /// A store whose current master key is `current_hex` (64 hex characters); `previous_hex` may still unwrap.
    pub fn from_hex(current_hex: &str, previous_hex: &[String]) -> Result<Self, KeyError> {
        Ok(Self {
            current: MasterKey::from_hex(current_hex)?,
            previous: previous_hex.iter().map(|k| MasterKey::from_hex(k)).collect::<Result<_, _>>()?,
        })
    }

    /// A fresh random master key, as hex (for `mercato-relayer gen-master-key`).
    pub fn generate_hex() -> Zeroizing<String> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        OsRng.fill_bytes(bytes.as_mut());
        Zeroizing::new(hex::encode(bytes.as_ref()))
    }
}

#[async_trait::async_trait]
impl KeyStore for LocalKeyStore {
    fn current_key_id(&self) -> String {
        self.current.id.clone()
    }

    async fn wrap(&self, key: &DataKey) -> Result<Vec<u8>, KeyError> {
        Ok(seal(&self.current.cipher, key.0.as_ref(), WRAP_AAD))
    }

    async fn unwrap(&self, key_id: &str, wrapped: &[u8]) -> Result<DataKey, KeyError> {
        let master = std::iter::once(&self.current)
            .chain(&self.previous)
            .find(|k| k.id == key_id)
            .ok_or_else(|| KeyError::UnknownMasterKey(key_id.to_owned()))?;
        let mut plain = open(&master.cipher, wrapped, WRAP_AAD)?;
        let mut key = Zeroizing::new([0u8; 32]);
        if plain.len() != 32 {
            plain.zeroize();
            return Err(KeyError::Decrypt);
        }
        key.copy_from_slice(&plain);
        plain.zeroize();
        Ok(DataKey(key))
    }
}

/// nonce || AES-256-GCM(plaintext, aad).
fn seal(cipher: &Aes256Gcm, plaintext: &[u8], aad: &[u8]) -> Vec<u8> {
    let mut nonce = [0u8; NONCE_LEN];
    OsRng.fill_bytes(&mut nonce);
    let ciphertext = cipher
        .encrypt(&Nonce::from(nonce), Payload { msg: plaintext, aad })
        .expect("AES-GCM encryption of a short message cannot fail");
    [nonce.as_slice(), &ciphertext].concat()
}

fn open(cipher: &Aes256Gcm, sealed: &[u8], aad: &[u8]) -> Result<Vec<u8>, KeyError> {
    if sealed.len() < NONCE_LEN {
        return Err(KeyError::Decrypt);
    }
    let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
    let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| KeyError::Decrypt)?;
    cipher.decrypt(&Nonce::from(nonce), Payload { msg: ciphertext, aad }).map_err(|_| KeyError::Decrypt)
}

/// A new user's keys: the public addresses and the encrypted secrets to store.
pub struct NewCustodialKeys {
    /// EVM address.
    pub evm_address: Address,
    /// Solana address.
    pub solana_address: [u8; 32],
    /// Id of the master key that wrapped the data key.
    pub master_key_id: String,
    /// The data key, wrapped.
    pub wrapped_data_key: Vec<u8>,
    /// The EVM secret, sealed under the data key.
    pub evm_secret: Vec<u8>,
    /// The Solana secret (ed25519 seed), sealed under the data key.
    pub solana_secret: Vec<u8>,
}

/// A user's keys, decrypted for signing; wiped on drop.
pub struct CustodialKeys {
    /// Signs EVM transactions and EIP-712 data.
    pub evm: PrivateKeySigner,
    /// Signs Solana transactions.
    pub solana: Keypair,
}

fn evm_aad(address: &Address) -> Vec<u8> {
    [b"mercato evm key ".as_slice(), address.as_slice()].concat()
}

fn solana_aad(address: &[u8; 32]) -> Vec<u8> {
    [b"mercato solana key ".as_slice(), address.as_slice()].concat()
}

/// Generates an EVM and a Solana key for a new user and encrypts them.
pub async fn generate(store: &dyn KeyStore) -> Result<NewCustodialKeys, KeyError> {
    let data_key = DataKey::generate();
    let cipher = data_key.cipher();
    let evm = PrivateKeySigner::random();
    let evm_address = evm.address();
    let evm_secret = seal(&cipher, Zeroizing::new(evm.to_bytes().0).as_ref(), &evm_aad(&evm_address));
    let mut seed = Zeroizing::new([0u8; 32]);
    OsRng.fill_bytes(seed.as_mut());
    let solana_address = Keypair::new_from_array(*seed).pubkey().to_bytes();
    let solana_secret = seal(&cipher, seed.as_ref(), &solana_aad(&solana_address));
    Ok(NewCustodialKeys {
        evm_address,
        solana_address,
        master_key_id: store.current_key_id(),
        wrapped_data_key: store.wrap(&data_key).await?,
        evm_secret,
        solana_secret,
    })
}

/// A user's keys row, as stored.
#[derive(sqlx::FromRow)]
struct StoredKeys {
    user_id: i64,
    master_key_id: String,
    wrapped_data_key: Vec<u8>,
    evm_secret: Vec<u8>,
    solana_secret: Vec<u8>,
    evm_address: Vec<u8>,
    solana_address: Vec<u8>,
}

const SELECT_KEYS: &str = "SELECT k.user_id, k.master_key_id, k.wrapped_data_key, k.evm_secret, k.solana_secret,
                                  u.evm_address, u.solana_address
                           FROM user_keys k JOIN users u ON u.id = k.user_id";

/// Decrypts user `user_id`'s keys for signing.
pub async fn load(pool: &PgPool, store: &dyn KeyStore, user_id: i64) -> Result<CustodialKeys, KeyError> {
    let row: StoredKeys =
        sqlx::query_as(&format!("{SELECT_KEYS} WHERE k.user_id = $1")).bind(user_id).fetch_one(pool).await?;
    decrypt(store, row).await
}

/// Decrypts the keys of several users, read in one query; users without keys are absent from the answer.
pub async fn load_many(
    pool: &PgPool,
    store: &dyn KeyStore,
    user_ids: &[i64],
) -> Result<std::collections::HashMap<i64, CustodialKeys>, KeyError> {
    let rows: Vec<StoredKeys> =
        sqlx::query_as(&format!("{SELECT_KEYS} WHERE k.user_id = ANY($1)")).bind(user_ids).fetch_all(pool).await?;
    let mut keys = std::collections::HashMap::with_capacity(rows.len());
    for row in rows {
        keys.insert(row.user_id, decrypt(store, row).await?);
    }
    Ok(keys)
}

async fn decrypt(store: &dyn KeyStore, row: StoredKeys) -> Result<CustodialKeys, KeyError> {
    let StoredKeys {
        user_id: _,
        master_key_id: key_id,
        wrapped_data_key: wrapped,
        evm_secret,
        solana_secret,
        evm_address,
        solana_address,
    } = row;
    let cipher = store.unwrap(&key_id, &wrapped).await?.cipher();
    let evm_address = Address::try_from(evm_address.as_slice()).map_err(|_| KeyError::Decrypt)?;
    let solana_address: [u8; 32] = solana_address.as_slice().try_into().map_err(|_| KeyError::Decrypt)?;
    let evm_plain = Zeroizing::new(open(&cipher, &evm_secret, &evm_aad(&evm_address))?);
    let solana_plain = Zeroizing::new(open(&cipher, &solana_secret, &solana_aad(&solana_address))?);
    let evm = PrivateKeySigner::from_slice(&evm_plain).map_err(|_| KeyError::Decrypt)?;
    let seed: [u8; 32] = solana_plain.as_slice().try_into().map_err(|_| KeyError::Decrypt)?;
    let solana = Keypair::new_from_array(seed);
    if evm.address() != evm_address || solana.pubkey().to_bytes() != solana_address {
        return Err(KeyError::Decrypt);
    }
    Ok(CustodialKeys { evm, solana })
}

/// Rewraps every data key not yet under `store`'s current master key (the old key must be among the store's
/// previous keys). Runs in one transaction: it either rewraps all of them or none. Returns how many it rewrapped.
pub async fn rotate_master_key(pool: &PgPool, store: &dyn KeyStore) -> Result<u64, KeyError> {
    let current = store.current_key_id();
    let mut tx = pool.begin().await?;
    let rows: Vec<(i64, String, Vec<u8>)> = sqlx::query_as(
        "SELECT user_id, master_key_id, wrapped_data_key FROM user_keys WHERE master_key_id <> $1 FOR UPDATE",
    )
    .bind(&current)
    .fetch_all(&mut *tx)
    .await?;
    for (user_id, key_id, wrapped) in &rows {
        let data_key = store.unwrap(key_id, wrapped).await?;
        let rewrapped = store.wrap(&data_key).await?;
        sqlx::query("UPDATE user_keys SET master_key_id = $1, wrapped_data_key = $2 WHERE user_id = $3")
            .bind(&current)
            .bind(rewrapped)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(rows.len() as u64)
}
