using AgentHost.Storage.Contracts;

namespace AgentHost.Storage.Sqlite.Tests;

public sealed class SqliteAgentStoreContractTests : AgentStoreContract<SqliteStores>;

public sealed class SqliteRunStoreContractTests : RunStoreContract<SqliteStores>;

public sealed class SqlitePromptHistoryContractTests : PromptHistoryContract<SqliteStores>;

public sealed class SqliteFileStoreContractTests : FileStoreContract<SqliteStores>;

public sealed class SqliteVectorStoreRepositoryContractTests : VectorStoreRepositoryContract<SqliteStores>;

public sealed class SqliteChunkStoreContractTests : ChunkStoreContract<SqliteStores>;

public sealed class SqliteTraceStoreContractTests : TraceStoreContract<SqliteStores>;

public sealed class SqliteUsageLedgerContractTests : UsageLedgerContract<SqliteStores>;

public sealed class SqliteResponseStoreContractTests : ResponseStoreContract<SqliteStores>;

public sealed class SqliteConversationStoreContractTests : ConversationStoreContract<SqliteStores>;

public sealed class SqliteMessageThreadStoreContractTests : MessageThreadStoreContract<SqliteStores>;

public sealed class SqliteContainerStoreContractTests : ContainerStoreContract<SqliteStores>;

public sealed class SqliteManagedAgentStoreContractTests : ManagedAgentStoreContract<SqliteStores>;

public sealed class SqliteProjectStoreContractTests : ProjectStoreContract<SqliteStores>;

public sealed class SqliteProjectIsolationContractTests : ProjectIsolationContract<SqliteStores>;

public sealed class SqliteAttachmentIndexContractTests : AttachmentIndexContract<SqliteStores>;
