import 'reflect-metadata';
import { runMigrateCommand } from '@cxauth/persistence';

void runMigrateCommand('auth-api');
