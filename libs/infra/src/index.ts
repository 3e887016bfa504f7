export * from './tokens';
export * from './infra.module';
