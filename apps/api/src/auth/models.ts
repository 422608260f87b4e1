import { Field, GraphQLISODateTime, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ROLES, type Role } from '@ent-observatory/store';
import { Checked, Formats, listOf } from '../common/input/index.js';

/** The roles as a GraphQL enum, spelt as stored (lower case) so that the API and the database agree. */
export const RoleEnum = Object.fromEntries(ROLES.map((r) => [r, r])) as { [K in Role]: K };
registerEnumType(RoleEnum, {
  name: 'Role',
  description:
    'admin: everything; national: every territory (aggregates); academy: one académie; establishment: one UAI; teacher: their classes; trainer: their courses; learner: themself; parent: one child (roster member id); pupil: themself (roster member id)',
});

@ObjectType('RoleGrant')
export class RoleGrantModel {
  @Field(() => RoleEnum) role!: Role;
  @Field({ description: "académie code, UAI, class id or course id; '' for roles without a scope" })
  scope!: string;
}

@InputType('RoleGrantInput')
export class RoleGrantInput {
  @Field(() => RoleEnum) role!: Role;
  @Field({ defaultValue: '' }) @Checked(Formats.text(120)) scope!: string;
}

@ObjectType('User')
export class UserModel {
  @Field(() => ID) id!: string;
  @Field() email!: string;
  @Field() displayName!: string;
  @Field() enabled!: boolean;
  @Field(() => [RoleGrantModel]) roles!: RoleGrantModel[];
  @Field(() => GraphQLISODateTime) createdAt!: Date;
}

@InputType()
export class NewUserInput {
  @Field() @Checked(Formats.email) email!: string;
  @Field() @Checked(Formats.text(120)) displayName!: string;
  @Field({ description: 'at least 12 characters, hard to guess (docs/security.md, "Passwords")' })
  @Checked(Formats.password)
  password!: string;
  @Field(() => [RoleGrantInput]) @Checked(listOf(RoleGrantInput, 20)) roles!: RoleGrantInput[];
}

@ObjectType('LrsCredential')
export class LrsCredentialModel {
  @Field() key!: string;
  @Field() label!: string;
  @Field(() => [String]) scopes!: string[];
  @Field() enabled!: boolean;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
}

@ObjectType()
export class CreatedLrsCredential {
  @Field(() => LrsCredentialModel) credential!: LrsCredentialModel;
  @Field({ description: 'shown once: only its hash is kept' }) secret!: string;
}
