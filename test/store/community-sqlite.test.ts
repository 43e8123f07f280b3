import { communityContract } from "./community-contract.ts";

communityContract("sqlite");
