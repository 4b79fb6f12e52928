using AgentHost.Storage.Contracts;

namespace AgentHost.Storage.Postgres.Tests;

public sealed class PostgresAgentStoreContractTests : AgentStoreContract<PostgresStores>;

public sealed class PostgresRunStoreContractTests : RunStoreContract<PostgresStores>;

public sealed class PostgresPromptHistoryContractTests : PromptHistoryContract<PostgresStores>;

public sealed class PostgresFileStoreContractTests : FileStoreContract<PostgresStores>;

public sealed class PostgresVectorStoreRepositoryContractTests : VectorStoreRepositoryContract<PostgresStores>;

public sealed class PostgresChunkStoreContractTests : ChunkStoreContract<PostgresStores>;

public sealed class PostgresTraceStoreContractTests : TraceStoreContract<PostgresStores>;

public sealed class PostgresUsageLedgerContractTests : UsageLedgerContract<PostgresStores>;

public sealed class PostgresResponseStoreContractTests : ResponseStoreContract<PostgresStores>;

public sealed class PostgresConversationStoreContractTests : ConversationStoreContract<PostgresStores>;

public sealed class PostgresMessageThreadStoreContractTests : MessageThreadStoreContract<PostgresStores>;

public sealed class PostgresContainerStoreContractTests : ContainerStoreContract<PostgresStores>;

public sealed class PostgresManagedAgentStoreContractTests : ManagedAgentStoreContract<PostgresStores>;

public sealed class PostgresProjectStoreContractTests : ProjectStoreContract<PostgresStores>;

public sealed class PostgresProjectIsolationContractTests : ProjectIsolationContract<PostgresStores>;

public sealed class PostgresAttachmentIndexContractTests : AttachmentIndexContract<PostgresStores>;
