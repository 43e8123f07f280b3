import { listingsCacheContract } from "./listings-cache-contract.ts";

listingsCacheContract("sqlite");
