import { listingsContract } from "./listings-contract.ts";

listingsContract("sqlite");
