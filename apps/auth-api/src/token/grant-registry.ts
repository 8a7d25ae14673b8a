import { Inject, Injectable } from '@nestjs/common';
import { GRANT_HANDLERS, GrantHandler } from './grants/grant-handler';

/** Grant handlers by grant_type. */
@Injectable()
export class GrantRegistry {
  private readonly handlers: Map<string, GrantHandler>;

  constructor(@Inject(GRANT_HANDLERS) handlers: GrantHandler[]) {
    this.handlers = new Map(handlers.map((handler) => [handler.grantType, handler]));
  }

  get(grantType: string): GrantHandler | undefined {
    return this.handlers.get(grantType);
  }

  get grantTypes(): string[] {
    return [...this.handlers.keys()];
  }
}
