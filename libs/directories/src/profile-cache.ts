import { LRUCache } from 'lru-cache';
import type { DirectoryPerson } from './person-directory';

/**
 * Short-lived person profiles by lowercased user name, so token refreshes and subject lookups do not
 * ask the directory every time. Filled after a successful sign-in or lookup; never holds a password.
 */
export class ProfileCache {
  private readonly cache: LRUCache<string, DirectoryPerson>;

  constructor(ttlMs: number, max = 10_000) {
    this.cache = new LRUCache({ max, ttl: Math.max(1, ttlMs) });
  }

  get(userName: string): DirectoryPerson | undefined {
    return this.cache.get(userName.toLowerCase());
  }

  set(person: DirectoryPerson): void {
    this.cache.set(person.userName.toLowerCase(), person);
  }

  delete(userName: string): void {
    this.cache.delete(userName.toLowerCase());
  }
}
